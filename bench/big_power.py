#!/usr/bin/env python3
"""big_power benchmark: the figures of the big-power issue, side by side in one run, as ratios.

  1. one C++ worker against the notebook's Python `list(map(lambda x: x**10**7, 1..6))`
     (target >= 20x)
  2. 2 workers (OpenMP threads, then MPI ranks): wall time against the best schedule possible,
     max(longest power, total / 2), both from the same run (target <= 1.15x)

Uses build/. Repetitions are interleaved; medians are kept.
Run:  bench/big_power.py [--exponent E] [--repetitions R] [--json FILE]
"""
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402  where the build is, how to launch MPI
from runner import ROOT  # noqa: E402


def main():
    parser = runner.bench_parser(__doc__, repetitions=5)
    parser.add_argument("--exponent", type=runner.whole_number(1, 2**63 - 1), default=10_000_000)
    args = parser.parse_args()
    e = str(args.exponent)
    program = ["--exponent", e, "--bases", "1..6"]

    print(f"== Python: list(map(lambda x: x**{e}, 1..6)) ({sys.executable})")
    python = subprocess.run([sys.executable, str(ROOT / "scripts/twins/big_power.py"), "--exponent", e],
                            capture_output=True, text=True, check=True)
    python_seconds = json.loads(python.stdout)["seconds"]

    print(f"== C++: 1 thread, 2 threads, 2 ranks; {args.repetitions} interleaved repetitions")
    samples = runner.interleave({
        "serial": lambda: runner.validated("openmp", "big_power", program, threads=1),
        "openmp": lambda: runner.validated("openmp", "big_power", program, threads=2),
        "mpi": lambda: runner.validated("mpi", "big_power", program, ranks=2),
    }, args.repetitions)
    serial = runner.median(samples["serial"])
    figures = [(f"1 C++ worker vs Python, exponent {e}", python_seconds / serial, ">= 20", python_seconds / serial >= 20,
                f"C++ {serial:.3f} s, Python {python_seconds:.2f} s")]
    for model in ("openmp", "mpi"):
        over = runner.median(samples[model], "over_ideal")
        wall = runner.median(samples[model])
        ideal = runner.median(samples[model], "ideal_seconds")
        figures.append((f"{model} 2 workers: wall vs max(longest, total/2)", over, "<= 1.15", over <= 1.15,
                        f"wall {wall:.3f} s, best schedule {ideal:.3f} s; speedup {serial / wall:.2f}x over 1 thread"))

    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
