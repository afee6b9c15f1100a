"""factorial: math.factorial's digits, trailing zeros and residue, and the recurrence in order and
as the naive parallel loop must get it wrong."""
import math
import sys

from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--loop", action="store_true")


def check(args, command):
    sys.set_int_max_str_digits(0)
    result, report = run_json(command + (["--loop"] if args.loop else []))
    value = math.factorial(args.n)
    digits = str(value)
    m61 = 2**61 - 1

    def iterate(steps):
        x = 2
        for _ in range(steps):
            x = (x * x + 1) % m61
        return x

    last_block = expected_parts(args.steps, args.workers, "split")[-1]
    serial, naive = iterate(args.steps), iterate(last_block[1] - last_block[0])
    want = {"experiment": "factorial", "workers": args.workers, "n": args.n, "digits": len(digits),
            "trailing_zeros": len(digits) - len(digits.rstrip("0")), "mod_m61": value % m61, "steps": args.steps,
            "recurrence": str(serial), "recurrence_naive": str(naive), "naive_is_wrong": serial != naive, "valid": True}
    if len(digits) <= 50:
        want["value"] = digits
    expect(report, want, result)
    if args.workers > 1 and args.steps >= args.workers and serial == naive:
        fail("the naive parallel recurrence should be wrong with several workers", result)
    if args.loop and not isinstance(report.get("loop_seconds"), float):
        fail("--loop given but no loop_seconds", result)
    print(f"ok: {args.n}! ({len(digits)} digits) on {args.workers} workers; naive recurrence "
          f"{'wrong, as it must be' if serial != naive else 'right (one worker)'}")
