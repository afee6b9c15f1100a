#!/usr/bin/env python3
"""array_sum benchmark: the figures of the array_sum part of notebook 000's issue, side by
side in one run, as ratios.

  1. materialized C++ (an Eigen int64 array, filled then summed) against numpy's
     np.mod(np.sum(np.arange(0, N)), 23), N = 3e8 (target >= 2x), on 1 thread and on 2
  2. lazy C++ (the Eigen expression, no array) against numpy (target >= 10x), with its memory
  3. the materialized run's GB/s against this machine's read bandwidth, measured by the same
     script (numpy summing 1 GiB)

numpy comes from Debian's /usr/bin/python3 with python3-numpy (the python3 first on PATH may
lack it). Uses build/. Repetitions are interleaved; medians are kept.
Run:  bench/array_sum.py [--n N] [--repetitions R] [--json FILE]
"""
import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402
from runner import ROOT  # noqa: E402

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300_000_000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    python = runner.numpy_python()
    if python is None:
        sys.exit("bench: no python3 with numpy: install python3-numpy (scripts/setup does)")
    twin = [python, str(ROOT / "scripts/twins/array_sum.py"), str(args.n)]

    print(f"== N = {args.n}: numpy ({python}) and C++ on 1 and 2 threads; {args.repetitions} interleaved repetitions")
    numpy, cpp = [], {(t, v): [] for t in (1, 2) for v in ("materialized", "lazy")}
    bandwidth = None
    for repetition in range(args.repetitions):
        done = json.loads(subprocess.run(twin + (["--bandwidth"] if repetition == 0 else []), check=True,
                                         capture_output=True, text=True).stdout)
        bandwidth = done.get("read_gb_per_s", bandwidth)
        numpy.append(done["seconds"])
        for threads, variant in cpp:  # one process per variant: each one's peak memory is its own
            report = runner.run("openmp", "array_sum", [str(args.n), "--variant", variant], threads=threads)
            if not report["valid"]:
                sys.exit("bench: array_sum did not validate")
            cpp[threads, variant].append(report)
    numpy_seconds = statistics.median(numpy)

    def median(threads, variant, key="seconds"):
        return statistics.median(r["variants"][variant][key] for r in cpp[threads, variant])

    def peak(threads, variant):
        return statistics.median(r["peak_memory"] for r in cpp[threads, variant]) / 2**20

    figures = []
    for threads in (1, 2):
        m, lazy = median(threads, "materialized"), median(threads, "lazy")
        figures.append((f"materialized, {threads} thread(s), vs numpy", numpy_seconds / m, ">= 2", numpy_seconds / m >= 2,
                        f"C++ {m:.3f} s (arange {median(threads, 'materialized', 'fill_seconds'):.3f} s), "
                        f"numpy {numpy_seconds:.3f} s; peak {peak(threads, 'materialized'):.0f} MiB"))
        figures.append((f"lazy, {threads} thread(s), vs numpy", numpy_seconds / lazy, ">= 10", numpy_seconds / lazy >= 10,
                        f"C++ {lazy:.4f} s, peak {peak(threads, 'lazy'):.0f} MiB (no array)"))
    for threads in (1, 2):
        gb = median(threads, "materialized", "gb_per_s")
        figures.append((f"materialized GB/s, {threads} thread(s), vs read bandwidth", gb / bandwidth, "-", None,
                        f"{gb:.1f} GB/s (written and read) against {bandwidth:.1f} GB/s measured by numpy's sum"))
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    main()
