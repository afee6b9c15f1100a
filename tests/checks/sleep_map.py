"""sleep_map: each schedule's predicted wall time recomputed here (blocks, a dynamic queue, longest
first), the wall time no shorter than it, the results in input order."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--items", required=True)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--workers", type=int, required=True)


def makespan(seconds, order, workers):
    free = [0.0] * workers
    for i in order:
        k = free.index(min(free))
        free[k] += seconds[i]
    return max(free)


def check_spans(run, seconds, workers, result):
    """The schedule as it ran (the Gantt chart's data): every item slept once, as long as it
    asked, on one of the workers, within the run; no worker slept two items at once; static
    blocks went where the block rule says."""
    spans, name = run["spans"], run["schedule"]
    if len(spans) != len(seconds):
        fail(f"{name}: {len(spans)} spans for {len(seconds)} items", result)
    owners = {i: r for r, (b, e) in enumerate(expected_parts(len(seconds), workers, "split")) for i in range(b, e)}
    busy = {}
    for i, (s, want) in enumerate(zip(spans, seconds)):
        if not 0 <= s["worker"] < workers:
            fail(f"{name}: item {i} slept on worker {s['worker']}, not one of {workers}", result)
        if s["end"] - s["start"] < want * 0.99 or s["start"] < 0 or s["end"] > run["seconds"] + 1e-3:
            fail(f"{name}: item {i} slept from {s['start']} to {s['end']} s: not {want} s within the run", result)
        if name == "static" and s["worker"] != owners[i]:
            fail(f"{name}: item {i} slept on worker {s['worker']}, its block is worker {owners[i]}'s", result)
        busy.setdefault(s["worker"], []).append((s["start"], s["end"], i))
    for worker, items in busy.items():
        items.sort()
        for (_, end, i), (start, _, j) in zip(items, items[1:]):
            if start < end:
                fail(f"{name}: worker {worker} slept items {i} and {j} at once", result)


def check(args, command):
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
        if "spans" in r:
            check_spans(r, seconds, w, result)
    print(f"ok: {len(report['runs'])} schedules on {w} workers, each within its prediction: "
          + ", ".join(f"{r['schedule']} {r['seconds']:.3f}/{r['predicted']:.3f} s" for r in report["runs"]))
