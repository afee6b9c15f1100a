"""refcount: each variant's count against workers x increments: exact for every synchronised one,
at most that for the race; the shared_ptr counts."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--count", type=int, required=True, help="increments per worker")
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--variant", default="both")
    parser.add_argument("--race-shows", action="store_true",
                        help="the race must lose updates (the lesson, at the defaults on 2 or more threads)")


def check(args, command):
    """Each variant's count against workers x increments, computed here: exact for every
    synchronised one, at most that for the race; the shared_ptr counts (1 + workers x 1000 copies
    held, 1 afterwards, 4 for the notebook's four names)."""
    result, report = run_json(command)
    model = report.get("model")
    names = (["unsynchronised", "atomic", "critical", "lock", "reduction", "shared_ptr"] if model == "openmp"
             else ["fetch_and_op", "accumulate", "reduce"])
    if args.variant != "both":
        names = [args.variant]
    expect(report, {"experiment": "refcount", "workers": args.workers, "increments": args.count, "valid": True}, result)
    variants = report.get("variants", {})
    if list(variants) != names:
        fail(f"variants {list(variants)}, expected {names}", result)
    for name, v in variants.items():
        total = 1 if name == "shared_ptr" else args.workers * args.count
        if name == "unsynchronised":  # the race runs in rounds, each of workers x increments
            if not isinstance(v.get("rounds"), int) or v["rounds"] < 1:
                fail(f"the race ran {v.get('rounds')} rounds", result)
            total *= v["rounds"]
        if v["expected"] != total or v["lost"] != v["expected"] - v["observed"]:
            fail(f"{name}: expected {v['expected']} (lost {v['lost']}), should be {total}", result)
        if name == "unsynchronised":
            if not 1 <= v["observed"] <= total:
                fail(f"the race counted {v['observed']} of {total}", result)
        elif v["observed"] != total:
            fail(f"{name} counted {v['observed']}, expected exactly {total}", result)
    if model == "openmp":
        if "shared_ptr" in names:
            expect(report, {"use_count_held": 1 + 1000 * args.workers}, result)
        expect(report, {"use_count_chain": 4}, result)
    raced = variants.get("unsynchronised")
    if args.race_shows and (raced is None or raced["lost"] <= 0):
        fail("the unsynchronised count lost no update: the race did not show", result)
    print(f"ok: {model} {len(names)} counters at {args.workers} workers x {args.count}"
          + (f"; the race lost {raced['lost']}" if raced else ""))
