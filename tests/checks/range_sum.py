"""range_sum: the sum, its residue mod 23, what numpy's int64 would have printed, each worker's
part and partial sum, and the worker names, against Python's exact integers; or (--human) the
notebook's named lines and the verdict, read as a person reads them."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--mode", choices=["replicate", "split"])
    parser.add_argument("--human", action="store_true", help="read the lines as a person would, not the JSON")
    parser.add_argument("--threads", type=int, help="hybrid: threads per rank (--workers is then the ranks)")


def check(args, command):
    total = args.n * (args.n - 1) // 2  # sum(range(n)), the closed form, in exact integers
    if args.human:
        result = run(command)
        if result.returncode != 0:
            fail("expected exit code 0", result)
        lines = result.stdout.splitlines()
        processes = any(word in " ".join(command) for word in ("mpi", "hybrid"))
        wanted = sorted(f"{name} {total % 23}" for name in worker_names(args.workers, "mpi" if processes else "openmp"))
        got = sorted(line for line in lines if line.split(" ")[0] in {w.split(" ")[0] for w in wanted})
        if got != wanted:
            fail(f"worker lines {got}, expected {wanted}", result)
        if "Solution validates" not in lines:
            fail("no 'Solution validates' line", result)
        print(f"ok: {len(wanted)} worker lines '{wanted[0].split(' ')[1]}' and the verdict")
        return

    result, report = run_json(command)
    model = report.get("model")
    mode = args.mode or "serial"
    checks = {
        "experiment": "range_sum",
        "mode": mode,
        "workers": args.workers,
        "n": args.n,
        "sum": str(total),
        "mod23": total % 23,
        "expected": str(total),
        "numpy_int64_mod23": numpy_int64(total) % 23,  # Python's % takes the divisor's sign, like np.mod
        "valid": True,
    }
    if args.threads:  # hybrid: workers are ranks, each with this many threads
        checks.update(ranks=args.workers, threads=args.threads)
    expect(report, checks, result)
    if not isinstance(report.get("seconds"), (int, float)) or report["seconds"] < 0:
        fail("seconds missing or negative", result)
    parts = expected_parts(args.n, args.workers, "replicate" if mode == "replicate" else "split")
    names = worker_names(args.workers, model)
    details = report.get("worker_results", [])
    if len(details) != args.workers:
        fail(f"{len(details)} worker results, expected {args.workers}", result)
    for k, (detail, (begin, end), name) in enumerate(zip(details, parts, names)):
        partial = (end * (end - 1) - begin * (begin - 1)) // 2 if end > begin else 0
        expect(detail, {"name": name, "begin": begin, "end": end, "sum": str(partial), "mod23": partial % 23}, result,
               f"worker {k} ")
    print(f"ok: {model} {mode} n={args.n} workers={args.workers} sum={total} mod23={total % 23}")
