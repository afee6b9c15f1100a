#!/usr/bin/env python3
"""The notebook's dormir(x) in Python, timed, for the tour.

    sleep_map.py --scale S [--workers W]

W = 1 is the notebook's `for x in my_list: dormir(x)`; W > 1 its `Pool(W).map(dormir, my_list)`
over [1, 2, 3, 4], every sleep multiplied by S. Prints one JSON object: seconds and results.
"""
import argparse
import json
import multiprocessing
import time

SCALE = 1.0


def dormir(x):
    time.sleep(x * SCALE)
    return x


def init(scale):
    global SCALE
    SCALE = scale


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    init(args.scale)
    my_list = [1, 2, 3, 4]
    start = time.perf_counter()
    if args.workers == 1:
        result = [dormir(x) for x in my_list]
    else:
        with multiprocessing.Pool(args.workers, initializer=init, initargs=(args.scale,)) as pool:
            result = pool.map(dormir, my_list)
    print(json.dumps({"seconds": time.perf_counter() - start, "result": result}))


if __name__ == "__main__":
    main()
