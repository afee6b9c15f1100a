"""as_completed: every item exactly once, each input regenerated from the seed and squared here;
the completion order reported as it was, and (--differs) not the submission order."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    add_squares_arguments(parser)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--human", action="store_true")
    parser.add_argument("--differs", action="store_true", help="the completion order must differ")
    parser.add_argument("--delay", type=float, default=0.1, help="the delay the program ran with (0.1 s by default)")


def check(args, command):
    """Every item exactly once, each input regenerated from the seed and squared here; the
    completion order reported as it was; with --differs, not the submission order."""
    if args.human:
        result = run(command)
        xs = squares_inputs(args)
        lines = [line for line in result.stdout.splitlines() if " squared is " in line]
        if result.returncode != 0 or sorted(lines) != sorted(f"{x} squared is {x * x}" for x in xs):
            fail(f"expected the {len(xs)} lines 'x squared is y', in any order", result)
        print(f"ok: {len(lines)} lines 'x squared is y'")
        return
    result, report = run_json(command)
    xs = squares_inputs(args)
    workers = args.workers if report.get("model") == "openmp" else max(1, args.workers - 1)  # MPI: rank 0 manages
    expect(report, {"experiment": "as_completed", "count": args.count, "workers": workers, "seed": args.seed,
                    "max": args.max, "delay": args.delay, "fingerprint": fingerprint([x * x for x in xs]), "valid": True}, result)
    done = report["completed"]
    order = [c["index"] for c in done]
    if sorted(order) != list(range(args.count)):
        fail(f"completed indices {order} are not each item once", result)
    for c in done:
        x = xs[c["index"]]
        if c["x"] != x or c["y"] != str(x * x):
            fail(f"item {c['index']}: {c['x']} squared is {c['y']}, expected {x} squared is {x * x}", result)
    if report["in_submission_order"] != (order == list(range(args.count))):
        fail("in_submission_order does not match the completion order", result)
    if args.differs and order == list(range(args.count)):
        fail("completion order is the submission order; uneven work should change it", result)
    print(f"ok: {args.count} squares, completion order {order[:12]}{'...' if len(order) > 12 else ''}")
