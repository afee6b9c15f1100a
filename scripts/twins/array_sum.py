#!/usr/bin/env python3
"""The notebook's numpy cell, timed: np.mod(np.sum(np.arange(0, N)), 23).

    array_sum.py N [--bandwidth]

Needs numpy (Debian's /usr/bin/python3 with python3-numpy). Prints one JSON object: seconds
in all, arange_seconds, sum_seconds, the residue numpy gives (wrong past N = 2^32 + 1, where its
int64 sum wraps), and with --bandwidth this machine's memory read bandwidth in GB/s, measured
by numpy summing a 1 GiB float64 array (best of three), for the benchmark to compare with.
"""
import argparse
import json
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--bandwidth", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    values = np.arange(0, args.n)
    made = time.perf_counter()
    answer = np.mod(np.sum(values), 23)
    done = time.perf_counter()
    del values
    report = {"seconds": done - start, "arange_seconds": made - start, "sum_seconds": done - made,
              "mod23": int(answer), "numpy": np.__version__}
    if args.bandwidth:
        block = np.ones(1 << 27)  # 1 GiB of float64, already written
        best = min(timed_sum(block) for _ in range(3))
        report["read_gb_per_s"] = block.nbytes / best / 1e9
    print(json.dumps(report))


def timed_sum(block):
    start = time.perf_counter()
    block.sum()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
