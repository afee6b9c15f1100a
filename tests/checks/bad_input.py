"""bad_input: every bad input of one table, run through every option of one program, each refused
the same way: exit code 2, nothing on stdout, and stderr exactly one short "NAME: error: ..." line,
every line counted (an OpenMP runtime's own warning is a second line), never a crash, a hang or a
half-written file.

The program's options and what each takes come from its own --help (CLI11 prints COUNT, NUMBER,
LIST or TEXT:{choices} for each), so an option added tomorrow is tried tomorrow. The bad values
of each kind are KINDS below; what no kind can say (a power that cannot fit in memory, a URL with
two {}) is EXTRA, per program. With --ranks, one run under the MPI launcher on that many ranks,
each rank's own exit code recorded by tests/each_rank.sh, proves that every rank gives the same
verdict.
"""
import concurrent.futures
import os
import re
import shlex
import tempfile
from pathlib import Path

from checks.common import fail, run

HUGE = "9" * 100000  # a 100 000-character argument: refused, and never echoed whole

# Bad values for each kind of option, as its --help names it.
KINDS = {
    "COUNT": ["-5", "abc", "12x", "1.5e3", "1e19", "9223372036854775809", "", "nan", "0x10", " 5", HUGE],
    "NUMBER": ["nan", "-nan", "inf", "-inf", "1e30", "abc", "", "1e400", "0x10", "1,5", HUGE],
    "LIST": ["", ",", "1..", "..3", "3..1", "x", "1.5", "1,,2", "-1", HUGE],
    "CHOICE": ["fast", ""],
}
# Environments every OpenMP program refuses before its first parallel region (and before the
# OpenMP runtime can read them: none of its own lines may show).
THREADS = ["70000", "0", "abc", "", "-1", "2abc", "2,abc", " 2", "2,0", "1.5", HUGE[:300]]
# And those only some refuse: the scraper's threads are bounded like its --concurrency.
THREADS_EXTRA = {"scrape": ["2000"]}

# What the kinds cannot say, per program: each a list of arguments.
EXTRA = {
    "range_sum": [["5", "6"]],
    "array_sum": [["1e15"], ["1e15", "--variant=materialized"], ["5", "6"]],
    "big_power": [["--exponent=1e13"], ["--bases=0"], ["--bases=1..5000000"], ["--exponent=1e12", "--bases=3..1000"],
                  ["7"]],
    "factorial": [["4294967297"], ["--steps=1e13"], ["--loop=maybe"], ["5", "6"]],
    "sleep_map": [["--scale=0"], ["--scale=11"], ["--items=1..4000"], ["--tolerance=-1"], ["7"]],
    "map_async": [["--scale=0"], ["--unit=0"], ["--unit=1.5e3"], ["--items=1..4000"], ["7"]],
    "refcount": [["--increments=0"], ["--increments=1e10"], ["7"]],
    "gather": [["--delay=11"], ["--delay=-1"], ["--tolerance=-1"], ["--payload=0"], ["--compute=11"], ["7"]],
    "as_completed": [["--count=0"], ["--count=100001"], ["--max=0"], ["--delay=11"], ["7"]],
    "pool_map": [["--count=0"], ["--count=1e9"], ["--max=4294967297"], ["--max=0"], ["7"]],
    "scrape": [["--url=http://127.0.0.1/page.html"], ["--url=http://h/{}/{}"], ["--url=ftp://h/{}"],
               ["--url=" + "x" * 100000], ["--pages=0..3"], ["--pages=5..1"], ["--timeout=0"], ["--timeout=1e30"],
               ["--timeout=1e16"], ["--retries=11"], ["--backoff=1e9"], ["--rate=-1"], ["--out=/etc/passwd/sub"],
               ["--user-agent="], ["--user-agent=" + "a" * 2000], ["--concurrency=1001"], ["7"]],
    "where": [["7"]],
}


def options_of(command):
    """(name, kind) for every option and positional in COMMAND --help; kind None for a flag."""
    result = run(command + ["--help"], timeout=60)
    if result.returncode != 0:
        fail("--help did not exit 0", result)
    found = []
    for line in result.stdout.splitlines():
        match = re.match(r"^  (-\S+|[A-Z]+)(?: (\S+))?", line)
        if not match or match.group(1) in ("-h,--help",):
            continue
        name, kind = match.group(1).split(",")[-1], match.group(2) or ""
        if kind.startswith("TEXT:{"):
            kind = "CHOICE"
        else:
            kind = re.split(r"[=:]", kind)[0] or None
        found.append((name, kind))
    return found


def cases_for(program, command, model):
    """Every bad input of the table this program's options take: (label, arguments, environment)."""
    cases = [("unknown option", ["--bogus"], {}), ("a flag with a value", ["--json=maybe"], {})]
    for name, kind in options_of(command):
        positional = not name.startswith("-")
        if kind is None:  # a flag
            continue
        if not positional:
            cases.append((f"{name} without its value", [name], {}))
        for value in KINDS.get(kind, []):
            shown = value if len(value) < 20 else value[:10] + f"... ({len(value)} characters)"
            cases.append((f"{name} {shown!r}", [value] if positional else [f"{name}={value}"], {}))
    for args in EXTRA.get(program, []):
        if model != "openmp" and args == ["--concurrency=1001"]:
            continue  # the OpenMP scraper's option only
        cases.append((" ".join(a if len(a) < 30 else a[:20] + "..." for a in args), args, {}))
    if model in ("openmp", "hybrid"):
        cases += [(f"OMP_NUM_THREADS={value}", [], {"OMP_NUM_THREADS": value})
                  for value in THREADS + (THREADS_EXTRA.get(program, []) if model == "openmp" else [])]
    return cases


LAUNCHERS = re.compile(r"^(mpirun|mpiexec.*|orterun|prterun)$")


def program_lines(stderr, command):
    """stderr's lines, but for an MPI launcher's own (Open MPI frames each of its messages in
    lines of dashes, MPICH's in lines of '='; MPICH's hydra prefixes its lines with [mpiexec@...])
    when COMMAND starts with one."""
    lines = stderr.splitlines()
    if not command or not LAUNCHERS.match(Path(command[0]).name):
        return lines
    kept, inside = [], False
    for line in lines:
        if re.fullmatch(r"-{20,}|={20,}", line.strip()):
            inside = not inside
            continue
        if not inside and not line.startswith(("[mpiexec@", "mpirun:", "mpiexec:")):
            kept.append(line)
    return kept


def judge(program, result, command=None):
    """Why a refusal is not as it must be, or None."""
    if result.returncode != 2:
        return f"exit code {result.returncode}, expected 2"
    if result.stdout.strip():
        return "something on stdout"
    lines = program_lines(result.stderr, command)
    ours = [line for line in lines if line.startswith(f"{program}: error: ")]
    if len(ours) != 1 or len(lines) != 1:
        return f"{len(lines)} lines on stderr, {len(ours)} of them '{program}: error:'; expected that one line alone"
    if len(ours[0]) > 400:
        return f"the error line has {len(ours[0])} characters: a huge argument was echoed"
    return None


def add_arguments(parser):
    parser.add_argument("--program", required=True, help="the experiment's name, as its errors start")
    parser.add_argument("--model", required=True, choices=["serial", "openmp", "mpi", "hybrid"])
    parser.add_argument("--ranks", type=int, help="run ONE bad input under the MPI launcher (COMMAND), every rank")
    parser.add_argument("--args", default="--bogus", help="with --ranks: the bad input, as one string (--args=...)")
    parser.add_argument("--says", help="with --ranks: a regular expression the error line must match")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="with --ranks: the bad input is (also) this environment variable")


def each_rank(args, command):
    """COMMAND is the launcher line; tests/each_rank.sh records every rank's exit code."""
    wrapper = str(Path(__file__).resolve().parent.parent / "each_rank.sh")
    with tempfile.TemporaryDirectory() as folder:
        launch, program = command[:-1], command[-1]
        environment = dict(os.environ, **dict(item.split("=", 1) for item in args.env))
        result = run(launch + [wrapper, folder, program] + shlex.split(args.args), timeout=120, env=environment)
        codes = {path.name: path.read_text().strip() for path in Path(folder).iterdir()}
    if sorted(codes) != sorted(f"rank-{r}" for r in range(args.ranks)):
        fail(f"exit codes recorded for {sorted(codes)}, expected every one of {args.ranks} ranks", result)
    if set(codes.values()) != {"2"}:
        fail(f"the ranks exited with {codes}: every rank must give 2", result)
    lines = result.stderr.splitlines()
    ours = [line for line in lines if line.startswith(f"{args.program}: error: ")]
    if len(ours) != 1 or len(lines) != 1 or result.stdout.strip():
        fail(f"expected one '{args.program}: error:' line (from rank 0), no other line, and nothing on stdout", result)
    if args.says and not re.search(args.says, ours[0]):
        fail(f"the error line does not say /{args.says}/", result)
    print(f"ok: all {args.ranks} ranks exit 2 on '{args.args}'; one line: {ours[0]}")


def check(args, command):
    if args.ranks:
        return each_rank(args, command)
    cases = cases_for(args.program, command, args.model)

    def attempt(case):
        label, arguments, environment = case
        # Its own TMPDIR: MPI programs started alone (singletons) make their session folders there,
        # and sixteen at once would race for one.
        with tempfile.TemporaryDirectory() as tmp:
            result = run(command + arguments, timeout=60, env=dict(os.environ, TMPDIR=tmp, **environment))
        return label, result, judge(args.program, result, command)

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:  # the runs mostly wait (MPI start-up)
        for label, result, why in pool.map(attempt, cases):
            if why:
                failures.append(f"{label}: {why}\n  stderr: {result.stderr.strip()[:300]}")
    if failures:
        fail(f"{len(failures)} of {len(cases)} bad inputs were not refused as they must be:\n" + "\n".join(failures))
    print(f"ok: {len(cases)} bad inputs, each exit 2 with one line")
