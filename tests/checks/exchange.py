"""exchange (a bug hunt of the coursework): ranks in pairs swapped arrays of COUNT values; the sum
of what all ranks hold, computed here, and no value out of place."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True, help="ranks")


def check(args, command):
    result, report = run_json(command)
    n, ranks = args.count, args.workers
    partner = [(r + 1 if r + 1 < ranks else r) if r % 2 == 0 else r - 1 for r in range(ranks)]
    total = sum(p * n * n + n * (n - 1) // 2 for p in partner) % 2**64
    expect(report, {"experiment": "exchange", "ranks": ranks, "count": n, "sum": total, "wrong": 0, "valid": True},
           result)
    print(f"ok: {ranks} ranks swapped {n} values each")
