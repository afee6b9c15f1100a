"""pipeline (a bug hunt of the coursework): every rank but 0 summed the BATCHES x COUNT values rank 0
streamed, 0 + 1 + ... + BATCHES x COUNT - 1, computed here."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batches", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True, help="ranks")


def check(args, command):
    result, report = run_json(command)
    values = args.count * args.batches
    expect(report, {"experiment": "pipeline", "ranks": args.workers, "count": args.count, "batches": args.batches,
                    "sums": [values * (values - 1) // 2 % 2**64] * (args.workers - 1), "valid": True}, result)
    print(f"ok: {args.workers - 1} ranks each summed {values} values")
