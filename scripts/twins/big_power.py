#!/usr/bin/env python3
"""The notebook's big power in Python, timed, for the tour and the benchmark.

    big_power.py --exponent E --bases 1..6 [--workers W]

W = 1 is the notebook's `list(map(lambda x: x**E, bases))`; W > 1 its `pool.map` over a Pool
of W processes (a named function instead of the lambda: the standard library's Pool cannot
send lambdas). Prints one JSON object: seconds, and each power's bit length as a check.
"""
import argparse
import json
import multiprocessing
import time


def power(args):
    base, exponent = args
    return (base ** exponent).bit_length()  # the number stays in the worker; its length travels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exponent", type=int, default=10_000_000)
    parser.add_argument("--bases", default="1..6")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    first, _, last = args.bases.partition("..")
    bases = list(range(int(first), int(last or first) + 1))
    work = [(b, args.exponent) for b in bases]

    start = time.perf_counter()
    if args.workers == 1:
        bits = list(map(power, work))
    else:
        with multiprocessing.Pool(processes=args.workers) as pool:
            bits = pool.map(power, work)
    print(json.dumps({"seconds": time.perf_counter() - start, "bits": bits}))


if __name__ == "__main__":
    main()
