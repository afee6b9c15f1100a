"""array_sum: every variant's sum against n(n-1)/2, numpy's int64 answer, and (--max-peak) every
process's peak memory: a rank holds its slice, not the array."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--variant", default="both")
    parser.add_argument("--max-peak", type=int, help="bytes of peak memory a process may reach")


def check(args, command):
    """Every variant's sum against n(n-1)/2; numpy's int64 answer; with --max-peak, every
    process's peak memory under that many bytes (a rank holds its slice, not the array)."""
    total = args.n * (args.n - 1) // 2
    result, report = run_json(command)
    expect(report, {"experiment": "array_sum", "n": args.n, "workers": args.workers, "expected": str(total),
                    "numpy_int64_sum": str(numpy_int64(total)), "numpy_int64_mod23": numpy_int64(total) % 23,
                    "valid": True}, result)
    variants = report.get("variants", {})
    wanted = ["materialized", "lazy"] if args.variant == "both" else [args.variant]
    if sorted(variants) != sorted(wanted):
        fail(f"variants {sorted(variants)}, expected {sorted(wanted)}", result)
    for name in wanted:
        expect(variants[name], {"sum": str(total), "mod23": total % 23}, result, f"{name} ")
    peaks = report.get("peak_memory_per_process", [])
    if len(peaks) != (args.workers if "mpi" in report.get("model", "") else 1):
        fail(f"{len(peaks)} peak memory figures", result)
    if args.max_peak is not None and max(peaks) > args.max_peak:
        fail(f"peak memory {max(peaks)} bytes in a process, more than {args.max_peak}", result)
    print(f"ok: {report['model']} n={args.n} {'+'.join(wanted)} sum={total}, peak {max(peaks) >> 20} MiB")
