"""pool_map: every variant's fingerprint of Y, in input order, against squares computed here."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    add_squares_arguments(parser)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--variant", default="both")


def check(args, command):
    """Every variant's fingerprint of Y, in input order, against squares computed here."""
    result, report = run_json(command)
    xs = squares_inputs(args)
    print_ = fingerprint([x * x for x in xs])
    expect(report, {"experiment": "pool_map", "count": args.count, "workers": args.workers, "seed": args.seed,
                    "max": args.max, "valid": True}, result)
    wanted = ["loop", "eigen"] if args.variant == "both" else [args.variant]
    if sorted(report["variants"]) != sorted(wanted):
        fail(f"variants {sorted(report['variants'])}, expected {wanted}", result)
    for name in wanted:
        expect(report["variants"][name], {"fingerprint": print_}, result, f"{name} ")
    print(f"ok: {args.count} squares in input order, {'+'.join(wanted)}, fingerprint {print_}")
