"""script_input: the project's scripts (the set-up, the tour, the scaling study, the exercises,
the benchmarks) refuse bad arguments as the programs do: exit code 2, nothing on stdout, exactly one
"NAME: error: ..." line on stderr that never echoes a huge argument whole, and no work done and no
file written (an output file whose folder is missing is refused before the run, not after it)."""
import tempfile
from pathlib import Path

from checks.common import fail, run

HUGE = "9" * 100000

# Bad arguments per script; {tmp} is an empty scratch folder, which must stay empty. A case given
# as (arguments, words) must also say those words.
COMMON = [["--bogus"], ["--repetitions", "0"], ["--repetitions", "nan"], ["--repetitions", "1e9"],
          ["--repetitions", "2.5"], ["--repetitions", HUGE], ["--repetitions"]]
CASES = {
    "setup": [["bogus"], ["default", "extra"], [HUGE], ["--bogus"]],
    "tour": COMMON + [
        ["--size", "range_sum=nan"], ["--size", "range_sum=-1"], ["--size", "range_sum=0"], ["--size", "bogus=5"],
        (["--size", "range_sum"], "expected NAME=N"), ["--size", "range_sum=" + HUGE], ["--size", HUGE], ["--python-size", "range_sum=inf"],
        ["--only", "nope"], ["--csv", "{tmp}/missing/tour.csv"], ["--csv", "{tmp}"], ["--json", "{tmp}/missing/t.json"]],
    "scaling": COMMON + [
        ["--ranks", "0"], ["--ranks", "1,,2"], ["--ranks", "abc"], ["--ranks", ""], ["--threads", HUGE],
        ["--ranks", "2,4"], ["--cores", "nan"], ["--strong", "-5"], ["--weak", "1e30"], ["--experiment", "nope"],
        ["--plot-only", "{tmp}/none.csv"], ["--plot-only", "/dev/null"], ["--plot-only", "{tmp}"],
        ["--out", "/proc/version/sub", "--plot-only", "/dev/null"]],
    "exercise": [
        [], ["bogus"], ["show"], ["show", "nope"], ["show", HUGE], ["start", "../../etc"],
        ["skeleton", "openmp-range_sum", "--serial", "--solution"], ["check", "openmp-range_sum", "--bogus"],
        ["check", "openmp-range_sum", "--json", "{tmp}/missing/grade.json"], ["check", "openmp-range_sum", "--json", "{tmp}"],
        ["check", "openmp-range_sum", "--file", "{tmp}/none.cpp"], ["check", "openmp-range_sum", "--file", "{tmp}"],
        ["check", "openmp-range_sum", "--file", "/bin/true"],
        ["handout", "/proc"]],
    "bench": COMMON + [["--json", "{tmp}/missing/figures.json"], ["--json", "{tmp}"]],
    "cpu": [[], ["--bogus", "--", "true"], ["--"], ["--hz", "0", "--", "true"], ["--hz", "nan", "--", "true"],
            ["--hz", HUGE, "--", "true"], ["--png", "{tmp}/missing/cpu.png", "--", "true"], ["--png", "{tmp}", "--", "true"],
            ["--csv", "{tmp}/missing/cpu.csv", "--", "true"], (["--", "no-such-command-here"], "no such command")],
    "trace": [[], ["--out"], ["--out", "{tmp}/t"], ["--out", "{tmp}/t", "--"], ["--", "true"],
              ["--out", "/proc/version", "--", "true"], ["--out", "{tmp}/missing/t", "--", "true"],
              ["--width", "nan", "--out", "{tmp}/t", "--", "true"], ["--width", HUGE, "--out", "{tmp}/t", "--", "true"],
              (["--out", "{tmp}/t", "--", "no-such-command-here"], "no such command"),
              (["--out", "{tmp}/t", "--", "/bin/true"], "neither OpenMP nor MPI"),
              (["--out", "{tmp}/t", "--", "mpiexec", "-n", "2"], "no program")],
    # {program}: a program of the SMPI build, which runs when the command line is right.
    "simulate": [([], "-n RANKS"), ["--bogus", "-n", "2", "{program}"], ["-n"], ["-n", "0", "{program}"],
                 ["-n", "nan", "{program}"], ["-n", HUGE, "{program}"], ["-n", "-3", "{program}"],
                 (["-n", "2"], "no program"), (["-n", "2", "{tmp}/none"], "no program"), (["-n", "2", "{tmp}"], "no program"),
                 (["-n", "2", "/bin/true"], "executable of a real MPI build"), (["-n", "2", "/etc/hostname"], "not a 64-bit ELF"),
                 (["-n", "2000", "{program}"], "1024 cores"), (["-n", "2", "--platform", "{tmp}/none.xml", "{program}"], "not a readable"),
                 (["-n", "2", "--platform", "/etc/hostname", "{program}"], "not a readable"),
                 (["-n", "2", "--platform", "{tmp}", "{program}"], "not a readable"),
                 ["-n", "2", "--speed", "nan", "{program}"], ["-n", "2", "--speed", "0", "{program}"],
                 ["-n", "2", "--speed", "-1", "{program}"], ["-n", "2", "--speed", "inf", "{program}"],
                 ["-n", "2", "--speed", HUGE, "{program}"]],
    "scaling_simulated": [(["--simulate", "--experiment", "nope"], "invalid choice"),
                          (["--simulate", "--ranks", "2,4"], "needs 1 rank"),
                          (["--simulate", "--ranks", "1,2048"], "1024 cores"),
                          (["--simulate", "--threads", "2"], "ranks of one thread"),
                          (["--simulate", "--platform", "{tmp}/none.xml"], "not a readable"),
                          (["--simulate", "--plot-only", "{tmp}/x.csv"], "--plot-only"),
                          (["--platform", "{tmp}/none.xml"], "goes with --simulate"),
                          (["--experiment", "pool_map"], "go with --simulate"),
                          ["--simulate", "--strong", "0"], ["--simulate", "--weak", "nan"],
                          ["--simulate", "--repetitions", "0"]],
}


def add_arguments(parser):
    parser.add_argument("--cases", choices=sorted(CASES), required=True, help="which table of bad arguments")
    parser.add_argument("--name", required=True, help="the name the script's error lines start with")
    parser.add_argument("--program", default="", help="what {program} stands for in the cases")


def check(args, command):
    """COMMAND is the script (with its interpreter): each case of the table is appended to it."""
    tried = 0
    with tempfile.TemporaryDirectory() as scratch:
        for case in CASES[args.cases]:
            case, words = case if isinstance(case, tuple) else (case, "")
            arguments = [a.replace("{tmp}", scratch).replace("{program}", args.program) for a in case]
            shown = " ".join(a if len(a) < 60 else a[:20] + "..." for a in arguments)
            result = run(command + arguments, timeout=30)
            lines = result.stderr.splitlines()
            if result.returncode != 2:
                fail(f"[{shown}] expected exit code 2, got {result.returncode}", result)
            if result.stdout:
                fail(f"[{shown}] printed on stdout", result)
            if len(lines) != 1 or not lines[0].startswith(f"{args.name}") or ": error: " not in lines[0]:
                fail(f"[{shown}] expected one line '{args.name}...: error: ...' on stderr", result)
            if len(lines[0]) > 400:
                fail(f"[{shown}] an error line of {len(lines[0])} characters", result)
            if words not in lines[0]:
                fail(f"[{shown}] the error line does not say {words!r}", result)
            left = [str(p.relative_to(scratch)) for p in Path(scratch).rglob("*")]
            if left:
                fail(f"[{shown}] wrote {left} into a folder it was not told to write", result)
            tried += 1
    print(f"ok: {tried} bad arguments, each refused with exit code 2 and one line")
