#!/usr/bin/env python3
"""Grader benchmark: every exercise's solution graded alone and with a second grade running beside
it on the same cores, side by side in one run; the time of a grade, and the evidence each
"parallel" verdict rests on against the exercise's thresholds (the margins the thresholds in
coursework/exercises/*.toml were set from).

  seconds    the grade's wall time, alone and beside (median), and their ratio
  together   the least share of the parallel time during which two or more workers ran their
             own code at once (threads: of their time in parallel regions; ranks: of the run),
             against the exercise's `share`
  cpu ratio  the most CPU time of the program's own code at p workers over one worker, against
             `cpu_ratio` (exercises whose work is waiting have none)

The second grade is --beside's solution (default openmp-twin_primes, whose two threads compute),
graded over and over while the measured grade runs. With --sandbox-cost, each solution is graded
in the sandbox and without it (--no-sandbox), interleaved, instead: the two grades' seconds,
their ratio, and whether the verdicts agree. Needs build/ and build-archer/.
Run:  bench/grade.py [--exercises a,b,...] [--beside NAME | --sandbox-cost] [--repetitions R] [--json FILE]
"""
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import runner  # noqa: E402

EXERCISE = ROOT / "scripts" / "exercise"


def grade(name, folder, seed, *extra):
    """One grade of a solution: (seconds, its results.json)."""
    report = Path(folder) / f"{name}-{time.monotonic_ns()}.json"
    start = time.perf_counter()
    subprocess.run([str(EXERCISE), "check", name, "--solution", "--quiet", "--json", str(report), "--seed", str(seed),
                    *extra], capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - start
    try:
        return seconds, json.loads(report.read_text())
    except (OSError, ValueError):
        return seconds, None


class Beside:
    """Grades a solution over and over in the background while the block runs."""

    def __init__(self, name, folder):
        self.name, self.folder, self.stop = name, folder, threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stop.is_set():
            grade(self.name, self.folder, 1)

    def __enter__(self):
        self.thread.start()
        time.sleep(1.0)  # let it get going
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def evidence(report):
    """(passed everything, least together share, most cpu ratio, thresholds) from one results.json."""
    if not report:
        return False, None, None, {}
    passed = all(t["status"] == "passed" for t in report["tests"])
    parallel = next((t for t in report["tests"] if t["name"] == "parallel"), None)
    if not parallel:
        return passed, None, None, {}
    data = parallel.get("extra_data", {})
    shares = [t["share"] for t in data.get("together", []) if "share" in t]
    ratio = data.get("waste", {}).get("ratio")
    return passed, (min(shares) if shares else None), ratio, data.get("waste", {})


def verdicts(report):
    return {t["name"]: t["status"] for t in report["tests"]} if report else None


def sandbox_cost(names, args):
    """Each solution graded in its box and without one, interleaved: seconds, ratio, verdicts."""
    figures, agree, totals = [], True, [0.0, 0.0]
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as folder:
        for name in names:
            boxed, bare = [], []
            for _ in range(args.repetitions):
                boxed.append(grade(name, folder, 11))
                bare.append(grade(name, folder, 11, "--no-sandbox"))
            a, b = statistics.median(s for s, _ in boxed), statistics.median(s for s, _ in bare)
            same = all(verdicts(r) == verdicts(bare[0][1]) and verdicts(r) is not None for _, r in boxed + bare)
            agree = agree and same
            totals[0], totals[1] = totals[0] + a, totals[1] + b
            print(f"{name:22} {a:6.1f} s in the sandbox {b:6.1f} s without ({a / b:.2f}x)  verdicts "
                  f"{'the same' if same else 'DIFFER'}", flush=True)
            figures.append((f"{name}: sandbox / none", a / b, "<= 1.5", a / b <= 1.5,
                            f"{a:.1f} s in the sandbox, {b:.1f} s without; verdicts {'the same' if same else 'differ'}"))
    figures.append(("every solution: sandbox / none", totals[0] / totals[1], "<= 1.5", totals[0] / totals[1] <= 1.5,
                    f"{totals[0]:.0f} s in the sandbox, {totals[1]:.0f} s without"))
    runner.print_figures(figures, args.json)
    return 0 if agree else 1


def main():
    parser = runner.bench_parser(__doc__, repetitions=2)
    parser.add_argument("--exercises", help="comma-separated exercises (default: all)")
    parser.add_argument("--beside", default="openmp-twin_primes", help="the solution graded beside")
    parser.add_argument("--sandbox-cost", action="store_true", help="each grade in the sandbox against without it")
    args = parser.parse_args()
    every = sorted(p.stem for p in (ROOT / "coursework" / "exercises").glob("*.toml"))
    names = args.exercises.split(",") if args.exercises else every
    unknown = [n for n in names if n not in every]
    if unknown:
        parser.error(f"no exercise {runner.quoted(unknown[0])}")
    if args.sandbox_cost:
        return sandbox_cost(names, args)
    rows, figures = [], []
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as folder:
        for name in names:
            neighbour = args.beside if args.beside != name else "openmp-range_sum"
            alone, beside = [], []
            for _ in range(args.repetitions):
                alone.append(grade(name, folder, 11))
                with Beside(neighbour, folder):
                    beside.append(grade(name, folder, 11))
            row = {"exercise": name, "beside": neighbour}
            for label, runs in (("alone", alone), ("beside", beside)):
                seen = [evidence(report) for _, report in runs]
                shares = [s for _, s, _, _ in seen if s is not None]
                ratios = [r for _, _, r, _ in seen if r is not None]
                row[label] = {"seconds": statistics.median(s for s, _ in runs), "passed": all(p for p, *_ in seen),
                              "least_share": min(shares) if shares else None,
                              "most_cpu_ratio": max(ratios) if ratios else None}
            rows.append(row)
            a, b = row["alone"], row["beside"]
            shown = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
            print(f"{name:22} {a['seconds']:6.1f} s alone {b['seconds']:6.1f} s beside ({b['seconds'] / a['seconds']:.2f}x)"
                  f"  passed {a['passed']}/{b['passed']}  together {shown(a['least_share'], '.2f')}/"
                  f"{shown(b['least_share'], '.2f')}  cpu ratio {shown(a['most_cpu_ratio'], '.2f')}/"
                  f"{shown(b['most_cpu_ratio'], '.2f')}", flush=True)
            figures.append((f"{name}: beside / alone", b["seconds"] / a["seconds"], "-", None,
                            f"{a['seconds']:.1f} s alone, {b['seconds']:.1f} s beside {neighbour}; passed "
                            f"{a['passed']} and {b['passed']}"))
    runner.print_figures(figures, args.json)
    if args.json:
        runner.write_whole(Path(str(args.json) + ".rows.json"), json.dumps(rows, indent=1) + "\n")
    return 0 if all(r["alone"]["passed"] and r["beside"]["passed"] for r in rows) else 1


if __name__ == "__main__":
    runner.script(main)
