#!/usr/bin/env python3
"""The notebook's factorial loop in Python, timed, for the tour: `for x in 1..n: fatorial *= x`.

    factorial.py N

Prints one JSON object: seconds, and the residue mod 2^61-1 as a check.
"""
import json
import sys
import time


def main():
    n = int(sys.argv[1])
    start = time.perf_counter()
    fatorial = 1
    for x in range(1, n + 1):
        fatorial *= x
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "mod_m61": fatorial % (2**61 - 1)}))


if __name__ == "__main__":
    main()
