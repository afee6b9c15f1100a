#!/usr/bin/env python3
"""pool_map benchmark: MPI's Pool.map against OpenMP's, and beside what the node's shared
memory allows, side by side in one run, as ratios.

  1. mpi/pool_map on 1 rank against openmp/pool_map on 1 thread, the same N squares (target:
     within 1.5x; with one rank nothing moves)
  2. mpi/pool_map on 2 ranks: rank 1's half of X goes out (MPI_Scatterv) and its squares come
     back (MPI_Gatherv), 8 N bytes in two messages of 4 N. The bandwidth those copies reach,
     8 N / (2-rank time - half the 1-rank map time), against MPI's own copy bandwidth between
     two ranks for one message of 4 N bytes, measured here by bench/mpi_copy.cpp (target >= 0.8)

The loop variant is timed (--variant loop). Uses build/. Every configuration runs once
untimed, then the repetitions are interleaved; medians are kept, with their spread.
Run:  bench/pool_map.py [--count N] [--repetitions R] [--json FILE]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402


def main():
    parser = runner.bench_parser(__doc__)
    parser.add_argument("--count", type=runner.whole_number(1, 2**63 - 1), default=50_000_000)
    args = parser.parse_args()
    runner.bench_helper("mpi_copy")
    n = args.count
    program = ["--count", str(n), "--max", "4294967296", "--variant", "loop"]

    print(f"== N = {n} squares: OpenMP 1 thread, MPI 1 and 2 ranks, and MPI's copy of {4 * n} bytes between two "
          f"ranks; 1 untimed + {args.repetitions} interleaved repetitions")
    samples = runner.interleave({
        "openmp 1": lambda: runner.validated("openmp", "pool_map", program, threads=1),
        "mpi 1": lambda: runner.validated("mpi", "pool_map", program, ranks=1),
        "mpi 2": lambda: runner.validated("mpi", "pool_map", program, ranks=2),
        "copy": lambda: runner.mpi_copy(4 * n),
    }, args.repetitions)

    def spread(name):
        return f"spread {runner.spread(samples[name]):.0%}"

    thread, one, two = (runner.median(samples[k]) for k in ("openmp 1", "mpi 1", "mpi 2"))
    copy = runner.median(samples["copy"], "gb_per_s")
    moved = (two - one / 2)  # what the 2-rank run spent beyond its half of the map
    reached = 8 * n / moved / 1e9 if moved > 0 else float("inf")
    figures = [
        ("mpi 1 rank vs openmp 1 thread", one / thread, "<= 1.5", one / thread <= 1.5,
         f"{one:.3f} s against {thread:.3f} s ({spread('mpi 1')}, {spread('openmp 1')})"),
        ("mpi 2 ranks: scatter+gather GB/s vs MPI's copy", reached / copy, ">= 0.8", reached / copy >= 0.8,
         f"2 ranks {two:.3f} s ({spread('mpi 2')}): {8 * n / 1e9:.1f} GB moved at {reached:.1f} GB/s; "
         f"one {4 * n / 1e9:.1f} GB message: {copy:.1f} GB/s ({spread('copy')}); "
         f"speedup over 1 rank {one / two:.2f}x"),
    ]
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
