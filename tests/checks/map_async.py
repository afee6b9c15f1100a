"""map_async: get() returns the items in order, the unrelated work's sum is that of its units, and
(--waits) the launching worker was told "not ready" and worked meanwhile."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--items", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--waits", action="store_true", help="the launching worker must have waited and worked")


def check(args, command):
    result, report = run_json(command)
    items = parse_bases(args.items)
    units = report.get("units")
    unit = 1000000  # the programs' default --unit
    expect(report, {"experiment": "map_async", "workers": args.workers, "results": items, "valid": True,
                    "unrelated_sum": str(units * unit * (units * unit - 1) // 2)}, result)
    if args.waits and (report["not_ready_polls"] < 1 or units < 1):
        fail("the launching worker should have found the map not ready and worked meanwhile", result)
    print(f"ok: results in order; {units} units of unrelated work, ready() said no {report['not_ready_polls']} times")
