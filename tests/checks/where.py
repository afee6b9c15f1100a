"""where: every rank and thread placed once, every CPU inside its mask."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--workers", type=int, required=True, help="ranks")
    parser.add_argument("--threads", type=int, required=True)


def cpus(mask):
    found = []
    for item in mask.split(","):
        first, _, last = item.partition("-")
        found += range(int(first), int(last or first) + 1)
    return found


def check(args, command):
    result, report = run_json(command)
    expect(report, {"experiment": "where", "ranks": args.workers, "workers": args.workers * args.threads,
                    "valid": True}, result)
    places = report["placements"]
    pairs = sorted((p["rank"], p["thread"]) for p in places)
    wanted = [(r, t) for r in range(args.workers) for t in range(args.threads)]
    if pairs != wanted:
        fail(f"rank/thread pairs {pairs}, expected {wanted}", result)
    for p in places:
        if p["cpu"] not in cpus(p["mask"]):
            fail(f"rank {p['rank']} thread {p['thread']} on CPU {p['cpu']}, outside its mask {p['mask']}", result)
        if not p["host"]:
            fail("a placement without a host name", result)
    print(f"ok: {len(places)} placements, every rank/thread once, every CPU inside its mask")
