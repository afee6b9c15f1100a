#!/usr/bin/env python3
"""array_sum benchmark: the array_sum figures of the issues, side by side in one run, as ratios.

  1. materialized C++ (an Eigen int64 array, filled then summed) against numpy's
     np.mod(np.sum(np.arange(0, N)), 23), N = 3e8, on 1 thread and on 2; the C++ time here
     includes its first touch of the array's pages, as numpy's arange does. No target: both are
     mostly the OS mapping 2.4 GB, which on a virtual machine varies tenfold from run to run
  2. lazy C++ (the Eigen expression, no array) against numpy, values per second (target >= 10x)
  3. lazy against the range-sum kernel (range_sum --mode split) summing the same values, values
     per second, on 1 and 2 threads (target >= 0.8)
  4. the materialized run's GB/s (8N bytes written + 8N read, first touch apart) against this
     machine's write + read bandwidth, measured here by a STREAM-like kernel (bench/stream.cpp:
     the same writes and reads as plain loops), on 1 and 2 threads (target >= 0.8)

The lazy and range-sum runs sum 10 N values (N values take them about 10 ms, too short to time).
numpy comes from Debian's /usr/bin/python3 with python3-numpy (the python3 first on PATH may
lack it). Uses build/. Every configuration runs once untimed, then the repetitions are
interleaved; medians are kept and each figure gives its spread, (max - min) / median.
Run:  bench/array_sum.py [--n N] [--repetitions R] [--json FILE]
"""
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402
from runner import BUILD, ROOT  # noqa: E402


def stream(n, threads):
    return runner.helper_report([str(BUILD / "bench/stream"), str(n), "3"],
                                dict(os.environ, OMP_NUM_THREADS=str(threads)), "the STREAM-like kernel's sum is wrong")


def main():
    parser = runner.bench_parser(__doc__)
    parser.add_argument("--n", type=runner.whole_number(1, 2**63 - 1), default=300_000_000)
    args = parser.parse_args()
    python = runner.numpy_python()
    if python is None:
        sys.exit("bench: no python3 with numpy: install python3-numpy (scripts/setup does)")
    runner.bench_helper("stream")
    twin = [python, str(ROOT / "scripts/twins/array_sum.py"), str(args.n)]
    n, lazy_n = str(args.n), str(10 * args.n)

    print(f"== N = {n}: numpy ({python}), C++ on 1 and 2 threads, the range-sum kernel and a STREAM-like "
          f"kernel; 1 untimed + {args.repetitions} interleaved repetitions")
    runs = {"numpy": lambda: json.loads(subprocess.run(twin, check=True, capture_output=True, text=True).stdout)}
    for t in (1, 2):  # one process per variant: each one's peak memory is its own
        runs[f"materialized {t}"] = lambda t=t: runner.validated("openmp", "array_sum", [n, "--variant", "materialized"],
                                                                 threads=t)
        runs[f"lazy {t}"] = lambda t=t: runner.validated("openmp", "array_sum", [lazy_n, "--variant", "lazy"], threads=t)
        runs[f"range_sum {t}"] = lambda t=t: runner.validated("openmp", "range_sum", [lazy_n, "--mode", "split"],
                                                              threads=t)
        runs[f"stream {t}"] = lambda t=t: stream(args.n, t)
    samples = runner.interleave(runs, args.repetitions)

    def variant(name, key):
        return lambda r: r["variants"][name][key]

    def spread(name, key="seconds"):
        return f"spread {runner.spread(samples[name], key):.0%}"

    numpy = runner.median(samples["numpy"])
    figures = []
    for t in (1, 2):
        m = f"materialized {t}"
        with_touch = runner.median(samples[m], lambda r: r["seconds"] + r["first_touch_seconds"])
        touch = runner.median(samples[m], "first_touch_seconds")
        peak = runner.median(samples[m], "peak_memory") / 2**20
        figures.append((f"materialized, {t} thread(s), vs numpy", numpy / with_touch, "-", None,
                        f"C++ {with_touch:.3f} s (first touch {touch:.3f} s of it), numpy {numpy:.3f} s; "
                        f"peak {peak:.0f} MiB; spread {runner.spread(samples['numpy']):.0%} (numpy), "
                        f"{runner.spread(samples[m], lambda r: r['seconds'] + r['first_touch_seconds']):.0%} (C++)"))
    for t in (1, 2):
        lazy_rate = runner.median(samples[f"lazy {t}"], lambda r: r["n"] / r["seconds"])
        numpy_rate = args.n / numpy
        figures.append((f"lazy, {t} thread(s), vs numpy (values/s)", lazy_rate / numpy_rate, ">= 10",
                        lazy_rate / numpy_rate >= 10,
                        f"C++ {lazy_rate / 1e9:.1f} G values/s, numpy {numpy_rate / 1e9:.2f}; "
                        f"peak {runner.median(samples[f'lazy {t}'], 'peak_memory') / 2**20:.0f} MiB (no array)"))
    for t in (1, 2):
        lazy = runner.median(samples[f"lazy {t}"])
        kernel = runner.median(samples[f"range_sum {t}"])
        figures.append((f"lazy vs the range-sum kernel, {t} thread(s)", kernel / lazy, ">= 0.8", kernel / lazy >= 0.8,
                        f"{lazy_n} values: lazy {lazy:.3f} s ({spread(f'lazy {t}')}), range_sum {kernel:.3f} s "
                        f"({spread(f'range_sum {t}')})"))
    for t in (1, 2):
        gb = runner.median(samples[f"materialized {t}"], variant("materialized", "gb_per_s"))
        machine = runner.median(samples[f"stream {t}"], "write_read_gb_per_s")
        figures.append((f"materialized GB/s vs STREAM-like write+read, {t} thread(s)", gb / machine, ">= 0.8",
                        gb / machine >= 0.8,
                        f"{gb:.1f} against {machine:.1f} GB/s (STREAM-like: write "
                        f"{runner.median(samples[f'stream {t}'], 'write_gb_per_s'):.1f}, read "
                        f"{runner.median(samples[f'stream {t}'], 'read_gb_per_s'):.1f}; {spread(f'stream {t}')})"))
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
