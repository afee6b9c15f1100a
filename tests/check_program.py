#!/usr/bin/env python3
"""Runs one of the project's programs and checks what it reports against values computed
here, independently, with Python's exact integers.

    check_program.py range_sum --n N --workers W [--mode M] [--human] -- COMMAND...
    check_program.py big_power --exponent E --bases LIST --workers W -- COMMAND...
    check_program.py factorial --n N --steps K --workers W [--loop] -- COMMAND...
    check_program.py sleep_map --items LIST --scale S --workers W -- COMMAND...
    check_program.py map_async --items LIST --workers W [--waits] -- COMMAND...
    check_program.py where --workers RANKS --threads T -- COMMAND...
    check_program.py plot --fraction F -- COMMAND...
    check_program.py bad_input --program NAME -- COMMAND...

range_sum: runs COMMAND with --json (or, with --human, as a person would) and checks the sum,
its residue mod 23, what numpy's int64 would have printed, each worker's part and partial
sum, and the worker names. big_power: computes every power with Python's integers and checks
its bits, digits, first and last 20 digits and residue mod 2^61-1. factorial: math.factorial's
digits, trailing zeros and residue, and the recurrence in order and as the naive parallel loop
must get it wrong. sleep_map: each schedule's predicted wall time recomputed here (blocks, a
dynamic queue, longest first), the wall time no shorter than it, the results in input order.
map_async: get() returns the items in
order, the unrelated work's sum is that of its units, and with --waits the launching worker
was told "not ready" and did work meanwhile. bad_input: expects exit code 2, nothing on stdout, and exactly one
"NAME: error: ..." line on stderr (an MPI launcher may add its own lines).
Exits 0 when everything holds; otherwise prints what did not and exits 1.
"""
import argparse
import json
import subprocess
import sys

NOTEBOOK_NAMES = ["Bar", "ba", "dos"]


def run(command, timeout=300):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def fail(message, result=None):
    print(f"FAIL: {message}")
    if result is not None:
        print(f"exit code {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
    sys.exit(1)


def run_json(command):
    """Runs COMMAND --json; it must exit 0 and print one JSON object. Returns (result, report)."""
    result = run(command + ["--json"])
    if result.returncode != 0:
        fail("expected exit code 0", result)
    try:
        return result, json.loads(result.stdout)
    except json.JSONDecodeError as e:
        fail(f"stdout is not one JSON object: {e}", result)


def expect(report, wanted, result, what=""):
    """Every key of `wanted` must have that value in `report`."""
    for key, value in wanted.items():
        if report.get(key) != value:
            fail(f"{what}{key} is {report.get(key)!r}, expected {value!r}", result)


def worker_names(count, model):
    prefix = "Process" if model in ("mpi", "hybrid") else "Thread"
    return [NOTEBOOK_NAMES[k] if k < 3 else f"{prefix}-{k + 1}" for k in range(count)]


def numpy_int64(value):
    """The low 64 bits as a signed integer: what an int64 accumulator is left holding."""
    low = value % 2**64
    return low - 2**64 if low >= 2**63 else low


def expected_parts(n, workers, mode):
    if mode == "replicate":
        return [(0, n)] * workers
    base, extra = divmod(n, workers)
    parts, begin = [], 0
    for k in range(workers):
        size = base + (1 if k < extra else 0)
        parts.append((begin, begin + size))
        begin += size
    return parts


def check_range_sum(args, command):
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


def check_array_sum(args, command):
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


MASK64 = 2**64 - 1
P61 = 2**61 - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def squares_inputs(args):
    return [splitmix64((args.seed + i) & MASK64) % args.max for i in range(args.count)]


def fingerprint(ys):
    return sum((i + 1) * (y % P61) for i, y in enumerate(ys)) % P61


def check_as_completed(args, command):
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
                    "max": args.max, "fingerprint": fingerprint([x * x for x in xs]), "valid": True}, result)
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


def check_pool_map(args, command):
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


def check_refcount(args, command):
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
    print(f"ok: {model} {len(names)} counters at {args.workers} workers x {args.count}"
          + (f"; the race lost {raced['lost']}" if raced else ""))


NOTEBOOK_GATHER = ["a", "ba", "ca", "xi", "!"]


def check_gather(args, command):
    """The notebook's lines a, ba, ca, xi, ! in every mode (OpenMP) or run (MPI); the waits
    really waited (no run shorter than one delay); with --overlap, rank 0 worked while waiting;
    with --progress, the large message waited for MPI calls (its MPI_Wait was the longer)."""
    if args.human:
        result = run(command)
        lines = [line for line in result.stdout.splitlines() if line in NOTEBOOK_GATHER]
        want = NOTEBOOK_GATHER * (len(lines) // 5)
        if result.returncode != 0 or not lines or lines != want:
            fail(f"printed {lines}, expected repetitions of {NOTEBOOK_GATHER}", result)
        print(f"ok: {len(lines) // 5} runs printing a ba ca xi !")
        return
    result, report = run_json(command)
    expect(report, {"experiment": "gather", "workers": args.workers, "delay": args.scale, "valid": True}, result)
    if report["model"] == "openmp":
        for mode, run_ in report["modes"].items():
            if run_["lines"] != NOTEBOOK_GATHER:
                fail(f"{mode} printed {run_['lines']}", result)
            overlap = mode != "depend" and args.workers >= 2
            predicted = args.scale * (1 if overlap else 2)
            if run_["predicted_seconds"] != predicted or run_["seconds"] < 0.95 * predicted:
                fail(f"{mode}: {run_['seconds']} s against {predicted} s predicted here", result)
        print(f"ok: {', '.join(report['modes'])} print a ba ca xi !, waits overlapped at {args.workers} threads")
        return
    if report["lines"] != NOTEBOOK_GATHER:
        fail(f"printed {report['lines']}", result)
    if report["seconds"] < 0.95 * args.scale * (2 if args.workers == 1 else 1):
        fail(f"gather took {report['seconds']} s, less than its waits", result)
    if args.waits and report["units_while_waiting"] == 0:
        fail("rank 0 did no work while the futures were pending", result)
    if args.progress and not report["wait_without_progress"] > report["wait_with_progress"]:
        fail("the large message did not wait for MPI calls", result)
    print(f"ok: a ba ca xi ! on {args.workers} ranks, {report['units_while_waiting']} units while waiting, "
          f"waits {report['wait_without_progress'] * 1e3:.2f} ms without progress, "
          f"{report['wait_with_progress'] * 1e3:.3f} ms with")


def parse_bases(text):
    bases = []
    for item in text.split(","):
        first, _, last = item.partition("..")
        bases += list(range(int(first), int(last or first) + 1))
    return bases


def check_big_power(args, command):
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


def check_factorial(args, command):
    sys.set_int_max_str_digits(0)
    import math
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


def makespan(seconds, order, workers):
    free = [0.0] * workers
    for i in order:
        k = free.index(min(free))
        free[k] += seconds[i]
    return max(free)


def check_sleep_map(args, command):
    result, report = run_json(command)
    items = parse_bases(args.items)
    seconds = [x * args.scale for x in items]
    w = args.workers
    longest_first = sorted(range(len(items)), key=lambda i: -seconds[i])
    predictions = {
        "static": max(sum(seconds[b:e]) for b, e in expected_parts(len(items), w, "split")),
        "dynamic": makespan(seconds, range(len(items)), w),
        "longest-first": makespan(seconds, longest_first, w),
    }
    best = max(seconds) if w >= len(items) else predictions["longest-first"]
    expect(report, {"experiment": "sleep_map", "workers": w, "items": len(items), "valid": True}, result)
    if abs(report["serial_seconds"] - sum(seconds)) > 1e-9 or abs(report["best_seconds"] - best) > 1e-9:
        fail(f"serial {report['serial_seconds']} / best {report['best_seconds']}, expected {sum(seconds)} / {best}", result)
    for r in report["runs"]:
        expected = predictions[r["schedule"]]
        if abs(r["predicted"] - expected) > 1e-9:
            fail(f"{r['schedule']}: predicted {r['predicted']}, expected {expected}", result)
        if r["seconds"] < expected * 0.99:  # nothing sleeps faster than it was asked to
            fail(f"{r['schedule']}: {r['seconds']} s, less than the {expected} s its sleeps need", result)
        if not r["results_in_order"] or not r["in_time"]:
            fail(f"{r['schedule']}: results out of order or late", result)
    print(f"ok: {len(report['runs'])} schedules on {w} workers, each within its prediction: "
          + ", ".join(f"{r['schedule']} {r['seconds']:.3f}/{r['predicted']:.3f} s" for r in report["runs"]))


def check_map_async(args, command):
    result, report = run_json(command)
    items = parse_bases(args.items)
    units = report.get("units")
    unit = 1000000  # the programs' default --unit
    expect(report, {"experiment": "map_async", "workers": args.workers, "results": items, "valid": True,
                    "unrelated_sum": str(units * unit * (units * unit - 1) // 2)}, result)
    if args.waits and (report["not_ready_polls"] < 1 or units < 1):
        fail("the launching worker should have found the map not ready and worked meanwhile", result)
    print(f"ok: results in order; {units} units of unrelated work, ready() said no {report['not_ready_polls']} times")


def cpus(mask):
    found = []
    for item in mask.split(","):
        first, _, last = item.partition("-")
        found += range(int(first), int(last or first) + 1)
    return found


def check_where(args, command):
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


def check_plot(args, command):
    """COMMAND is the scaling script with --plot-only and --json: the fitted serial fraction
    must be the one the CSV was made from, and both PNG files must be real PNG images."""
    result = run(command + ["--json"])
    if result.returncode != 0:
        fail("expected exit code 0", result)
    summary = json.loads(result.stdout)
    if summary["serial_fraction"] is None or abs(summary["serial_fraction"] - args.fraction) > 1e-4:
        fail(f"fitted serial fraction {summary['serial_fraction']}, expected {args.fraction}", result)
    if len(summary["pngs"]) != 2:
        fail(f"expected 2 PNG files, got {summary['pngs']}", result)
    for png in summary["pngs"]:
        with open(png, "rb") as f:
            head = f.read(8)
        if head != b"\x89PNG\r\n\x1a\n":
            fail(f"{png} is not a PNG image", result)
    beyond = [p for p in summary["points"] if p["beyond_cores"]]
    if not beyond or any(int(p["workers"]) <= summary["cores"] for p in beyond):
        fail("the points beyond the cores are not the ones marked", result)
    print(f"ok: serial fraction {summary['serial_fraction']:.4f}, {len(summary['pngs'])} PNG images")


def check_bad_input(args, command):
    result = run(command, timeout=60)
    if result.returncode != 2:
        fail("expected exit code 2", result)
    if result.stdout.strip():
        fail("expected nothing on stdout", result)
    ours = [line for line in result.stderr.splitlines() if line.startswith(f"{args.program}: error: ")]
    if len(ours) != 1:
        fail(f"expected exactly one '{args.program}: error:' line on stderr, got {len(ours)}", result)
    print(f"ok: exit 2, one line: {ours[0]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["range_sum", "big_power", "factorial", "sleep_map", "map_async", "where", "plot", "bad_input",
                                          "array_sum", "as_completed", "pool_map", "refcount", "gather"])
    parser.add_argument("--n", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--mode", choices=["replicate", "split"])
    parser.add_argument("--human", action="store_true")
    parser.add_argument("--program")
    parser.add_argument("--exponent", type=int)
    parser.add_argument("--bases")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--loop", action="store_true")
    parser.add_argument("--items")
    parser.add_argument("--scale", type=float)
    parser.add_argument("--waits", action="store_true")
    parser.add_argument("--fraction", type=float, help="plot: the serial fraction the CSV was made from")
    parser.add_argument("--threads", type=int, help="hybrid: threads per rank (--workers is then the ranks)")
    parser.add_argument("--variant", default="both")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--max", type=int, default=20000)
    parser.add_argument("--differs", action="store_true", help="as_completed: completion order must differ")
    parser.add_argument("--progress", action="store_true", help="gather: the unpolled message must wait")
    parser.add_argument("--max-peak", type=int, help="array_sum: bytes of peak memory a process may reach")
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("the command to run goes after --")
    split = argv.index("--")
    args, command = parser.parse_args(argv[:split]), argv[split + 1:]
    checks = {"range_sum": check_range_sum, "big_power": check_big_power, "factorial": check_factorial,
              "sleep_map": check_sleep_map, "map_async": check_map_async,
              "where": check_where, "plot": check_plot,
              "bad_input": check_bad_input, "array_sum": check_array_sum,
              "as_completed": check_as_completed, "pool_map": check_pool_map,
              "refcount": check_refcount, "gather": check_gather}
    checks[args.check](args, command)


if __name__ == "__main__":
    main()
