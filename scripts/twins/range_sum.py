#!/usr/bin/env python3
"""The notebook's range sum in Python, timed, for the tour's comparison column.

    range_sum.py N --model serial|threads|processes --mode replicate|split --workers W

replicate is the notebook's cells 10 and 13: W threads (or processes) named Bar, ba, dos, ...
each compute sum(range(0, N)) % 23. split divides the range among them, which the notebook
does not do: with threads it shows that the GIL gives no speedup. Prints one JSON object:
seconds (wall time of starting, running and joining the workers) and the residue mod 23.
"""
import argparse
import json
import multiprocessing
import threading
import time

NAMES = ["Bar", "ba", "dos"]


def part(n, workers, k):
    base, extra = divmod(n, workers)
    begin = k * base + min(k, extra)
    return begin, begin + base + (1 if k < extra else 0)


def work(begin, end, results, k):
    results[k] = sum(range(begin, end))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--model", choices=["serial", "threads", "processes"], default="serial")
    parser.add_argument("--mode", choices=["replicate", "split"], default="replicate")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    if args.model == "serial":
        total = sum(range(0, args.n))
    else:
        ranges = [(0, args.n) if args.mode == "replicate" else part(args.n, args.workers, k) for k in range(args.workers)]
        if args.model == "threads":
            results = [0] * args.workers
            workers = [threading.Thread(target=work, args=(*ranges[k], results, k),
                                        name=NAMES[k] if k < 3 else None) for k in range(args.workers)]
        else:
            results = multiprocessing.Array("Q", args.workers, lock=False) if args.n < 6 * 10**9 else None
            if results is None:  # sums past 2^64 need Python integers: a Manager list
                results = multiprocessing.Manager().list([0] * args.workers)
            workers = [multiprocessing.Process(target=work, args=(*ranges[k], results, k),
                                               name=NAMES[k] if k < 3 else None) for k in range(args.workers)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        total = results[0] if args.mode == "replicate" else sum(results)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "mod23": total % 23, "sum": str(total)}))


if __name__ == "__main__":
    main()
