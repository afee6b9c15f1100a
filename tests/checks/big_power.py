"""big_power: every power computed with Python's integers, and its bits, digits, first and last 20
digits and residue mod 2^61 - 1 checked against the report."""
import sys

from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--exponent", type=int, required=True)
    parser.add_argument("--bases", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--threads", type=int, help="hybrid: threads per rank")


def check(args, command):
    sys.set_int_max_str_digits(0)  # Python 3.11 refuses to print long integers otherwise
    result, report = run_json(command)
    bases = parse_bases(args.bases)
    expect(report, {"experiment": "big_power", "workers": args.workers * (args.threads or 1),
                    "exponent": args.exponent, "bases": len(bases), "valid": True}, result)
    results = report.get("results", [])
    if [r.get("base") for r in results] != bases:
        fail(f"bases reported {[r.get('base') for r in results]}, expected {bases}", result)
    for r in results:
        value = r["base"] ** args.exponent
        digits = str(value)
        expect(r, {"bits": value.bit_length(), "digits": len(digits), "first20": digits[:20], "last20": digits[-20:],
                   "mod_m61": value % (2**61 - 1)}, result, f"{r['base']}^{args.exponent}: ")
        for kind, count in (("thread", args.threads or args.workers), ("rank", args.workers)):
            worker = r.get(kind, 0)
            if not isinstance(worker, int) or not 0 <= worker < count:
                fail(f"{r['base']}^{args.exponent}: computed by {kind} {worker!r}, not one of {count}", result)
    print(f"ok: {len(bases)} powers with exponent {args.exponent} on {args.workers} workers, every fact exact")
