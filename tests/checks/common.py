"""What every check shares: running a program, failing with what it printed, reading its JSON
report, and the few values the experiments share (worker names, blocks, the squares' inputs)."""
import json
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from runner import forget_openmp_registrations  # noqa: E402,F401  (a signalled process's runtime file)

NOTEBOOK_NAMES = ["Bar", "ba", "dos"]
MASK64 = 2**64 - 1
P61 = 2**61 - 1


OUTPUT_LIMIT = 1 << 30  # bytes a program (and each file it writes) may write: a SIGXFSZ beyond
OUTPUT_KEPT = 64 << 20  # of which the check reads the first


def limit_output():
    """In the child, before exec: no file it writes (its output included) beyond OUTPUT_LIMIT."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))


def read_capped(f):
    """The first OUTPUT_KEPT bytes of an output file, as text."""
    f.seek(0)
    return f.read(OUTPUT_KEPT).decode(errors="replace")


def exit_status(code):
    """'exit code 2', or 'killed by SIGXFSZ: it wrote more than 1 GiB'."""
    if code is None or code >= 0:
        return f"exit code {code}"
    name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
    return f"killed by {name}" + (f": it wrote more than {OUTPUT_LIMIT >> 30} GiB" if name == "SIGXFSZ" else "")


def run(command, timeout=300, env=None):
    """Runs COMMAND; a run that outlives `timeout` seconds fails the check as a probable hang.
    Its output goes to files, not to this process's memory: a program that prints for ever (a
    student's printf in a loop) is stopped at OUTPUT_LIMIT bytes, and the check reads the first
    OUTPUT_KEPT of them."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            code = subprocess.run(command, stdout=out, stderr=err, timeout=timeout, env=env,
                                  preexec_fn=limit_output).returncode
        except subprocess.TimeoutExpired:
            fail(f"{' '.join(command)[:200]} did not end within {timeout} s: a hang")
        return subprocess.CompletedProcess(command, code, read_capped(out), read_capped(err))


def with_bookshop(command, folder):
    """COMMAND with each `{bookshop}` in it the URL template of the bookshop serving from
    `folder` (tests/scrape/bookshop.py, started by a fixture: its port in folder/port)."""
    if not folder:
        return command
    url = f"http://127.0.0.1:{(Path(folder) / 'port').read_text().strip()}/site/catalogue/page-{{}}.html"
    return [word.replace("{bookshop}", url) for word in command]


def fail(message, result=None):
    print(f"FAIL: {message}")
    if result is not None:
        print(f"exit code {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
    sys.exit(1)


def run_json(command, timeout=300):
    """Runs COMMAND --json; it must exit 0 and print one JSON object. Returns (result, report)."""
    result = run(command + ["--json"], timeout=timeout)
    if result.returncode != 0:
        fail(f"expected exit code 0, got {exit_status(result.returncode)}", result)
    try:
        return result, json.loads(result.stdout)
    except json.JSONDecodeError as e:
        fail(f"stdout is not one JSON object: {e}", result)


def expect(report, wanted, result, what=""):
    """Every key of `wanted` must have that value in `report`."""
    for key, value in wanted.items():
        if report.get(key) != value:
            fail(f"{what}{key} is {report.get(key)!r}, expected {value!r}", result)


def worker_names(count, model):
    prefix = "Process" if model in ("mpi", "hybrid") else "Thread"
    return [NOTEBOOK_NAMES[k] if k < 3 else f"{prefix}-{k + 1}" for k in range(count)]


def numpy_int64(value):
    """The low 64 bits as a signed integer: what an int64 accumulator is left holding."""
    low = value % 2**64
    return low - 2**64 if low >= 2**63 else low


def expected_parts(n, workers, mode):
    if mode == "replicate":
        return [(0, n)] * workers
    base, extra = divmod(n, workers)
    parts, begin = [], 0
    for k in range(workers):
        size = base + (1 if k < extra else 0)
        parts.append((begin, begin + size))
        begin += size
    return parts


def parse_bases(text):
    bases = []
    for item in text.split(","):
        first, _, last = item.partition("..")
        bases += list(range(int(first), int(last or first) + 1))
    return bases


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def squares_inputs(args):
    return [splitmix64((args.seed + i) & MASK64) % args.max for i in range(args.count)]


def fingerprint(ys):
    return sum((i + 1) * (y % P61) for i, y in enumerate(ys)) % P61


def add_squares_arguments(parser):
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--max", type=int, default=20000)
