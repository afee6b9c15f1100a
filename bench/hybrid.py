#!/usr/bin/env python3
"""Hybrid benchmark: the figures of the hybrid issue, side by side in one run, as ratios.

  1. range_sum split at N = 1e10: hybrid 2 ranks x 1 thread against pure MPI with 2 ranks, and
     hybrid 1 rank x 2 threads against pure OpenMP with 2 threads         (target: within 5%)
  2. big_power over many bases (1..24, exponent 3e6) at 2 workers, 2 x 1 and 1 x 2: wall time
     against the best schedule, max(longest power, total / 2), from the same run (target <= 1.15x)

Repetitions are interleaved; medians are kept. Uses build/.
Run:  bench/hybrid.py [--repetitions R] [--n N] [--json FILE]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402  where the build is, how to launch MPI


def main():
    parser = runner.bench_parser(__doc__, repetitions=5)
    parser.add_argument("--n", type=runner.whole_number(1, 2**63 - 1), default=10_000_000_000)
    args = parser.parse_args()
    split = [str(args.n), "--mode", "split"]
    powers = ["--exponent", "3000000", "--bases", "1..24"]
    configs = {
        "mpi 2": ("mpi", "range_sum", split, 2, 1),
        "hybrid 2x1": ("hybrid", "range_sum", split, 2, 1),
        "openmp 2": ("openmp", "range_sum", split, 1, 2),
        "hybrid 1x2": ("hybrid", "range_sum", split, 1, 2),
        "big_power 2x1": ("hybrid", "big_power", powers, 2, 1),
        "big_power 1x2": ("hybrid", "big_power", powers, 1, 2),
    }
    print(f"== {len(configs)} configurations, {args.repetitions} interleaved repetitions")
    samples = runner.interleave({name: (lambda c=c: runner.validated(*c[:3], ranks=c[3], threads=c[4]))
                                 for name, c in configs.items()}, args.repetitions)
    seconds = {name: runner.median(s) for name, s in samples.items()}
    figures = []
    for hybrid, pure in (("hybrid 2x1", "mpi 2"), ("hybrid 1x2", "openmp 2")):
        ratio = seconds[hybrid] / seconds[pure]
        figures.append((f"range_sum n={args.n:.0e}: {hybrid} vs {pure}", ratio, "<= 1.05", ratio <= 1.05,
                        f"{seconds[hybrid]:.3f} s / {seconds[pure]:.3f} s"))
    for name in ("big_power 2x1", "big_power 1x2"):
        over = runner.median(samples[name], "over_ideal")
        ideal = runner.median(samples[name], "ideal_seconds")
        figures.append((f"{name}, 24 bases: wall vs best schedule", over, "<= 1.15", over <= 1.15,
                        f"wall {seconds[name]:.3f} s, best {ideal:.3f} s"))
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
