#!/usr/bin/env python3
"""The notebook's squaring cells, timed, for the tour's comparison column.

    squares.py pool_map N --workers W      Pool(W).map(f, X) over N numbers
    squares.py as_completed N --workers W  ThreadPoolExecutor(W): submit each, as_completed

f(x) = np.power(x, 2), as in the notebook (x * x when numpy is missing); X holds N random
integers below 20000. Prints one JSON object: seconds (the map or the executor, not making X).
"""
import argparse
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing import Pool

try:
    import numpy as np

    def f(x):
        return np.power(x, 2)
except ImportError:  # pragma: no cover - the tour runs this with numpy when it can
    np = None

    def f(x):
        return x * x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("experiment", choices=["pool_map", "as_completed"])
    parser.add_argument("n", type=int)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    X = [random.randrange(20000) for _ in range(args.n)]
    start = time.perf_counter()
    if args.experiment == "pool_map":
        with Pool(processes=args.workers) as p:
            Y = p.map(f, X)
        assert all(y == x * x for x, y in zip(X, Y))
    else:
        with ThreadPoolExecutor(max_workers=args.workers) as executor:
            future_set = {executor.submit(f, x): x for x in X}
        for future in as_completed(future_set):
            assert future.result() == future_set[future] ** 2
    print(json.dumps({"seconds": time.perf_counter() - start, "numpy": np is not None}))


if __name__ == "__main__":
    main()
