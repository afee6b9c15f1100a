"""simulated: scripts/scaling.py --simulate's calibrated study of an MPI program on the simulated
cluster. Every point validated and marked simulated or measured; the measured points are this
machine's 1 and 2 ranks; the simulated 1-rank time is the measured one (the calibration) and the
simulated 2-rank time within --ratio of the measured one (its check); the speedup at the most
ranks at least --speedup; the simulations' memory and wall time within bounds; the CSV and the two
plots written.

    simulated --ratio 0.25 --speedup 512 --max-memory 2e9 --max-seconds 60
        -- python3 scripts/scaling.py --simulate --experiment range_sum --ranks 1,2,1024
"""
import csv

from checks.common import fail, run_json


def add_arguments(parser):
    parser.add_argument("--ratio", type=float, default=0.25, help="how far the 2-rank ratio may be from 1")
    parser.add_argument("--speedup", type=float, help="the least strong speedup at the most simulated ranks")
    parser.add_argument("--max-memory", type=float, required=True, help="bytes any one simulation may reach")
    parser.add_argument("--max-seconds", type=float, required=True, help="wall seconds any one simulation may take")


def check(args, command):
    result, summary = run_json(command, timeout=1200)
    points = summary["points"]
    for p in points:
        missing = [k for k in ("ranks", "kind", "seconds", "valid", "simulated") if k not in p]
        if missing:
            fail(f"a point without {missing}: {p}", result)
        if p["valid"] is not True or not p["seconds"] > 0:
            fail(f"a point that did not validate, or took no time: {p}", result)
    measured = {(p["kind"], p["ranks"]): p for p in points if not p["simulated"]}
    simulated = {(p["kind"], p["ranks"]): p for p in points if p["simulated"]}
    if sorted(measured) != [("strong", 1), ("strong", 2), ("weak", 1), ("weak", 2)]:
        fail(f"the measured points are {sorted(measured)}, not 1 and 2 ranks of each kind", result)
    most = max(r for _, r in simulated)
    if not simulated or {r for _, r in simulated} != {r for k, r in simulated if k == "weak"}:
        fail("strong and weak simulated points differ in their rank counts", result)

    calibration = summary["calibration"]
    one_measured, one_simulated = measured["strong", 1]["seconds"], simulated["strong", 1]["seconds"]
    # The speed was set from this very 1-rank time; the 1-rank point is simulated again (the least of
    # its repetitions), so it agrees up to the noise of measuring a computation twice.
    if abs(one_simulated / one_measured - 1) > 0.15:
        fail(f"calibration: the simulated 1-rank run took {one_simulated:.6f} s, the measured one "
             f"{one_measured:.6f} s", result)
    two_measured, two_simulated = calibration["measured_seconds"], calibration["simulated_seconds"]
    if two_measured != measured["strong", 2]["seconds"] or two_simulated != simulated["strong", 2]["seconds"]:
        fail(f"the calibration's 2-rank times {calibration} are not the 2-rank points'", result)
    ratio = two_simulated / two_measured
    if abs(calibration["ratio"] - ratio) > 1e-9 or abs(ratio - 1) > args.ratio:
        fail(f"at 2 ranks simulated {two_simulated:.6f} s against measured {two_measured:.6f} s: ratio "
             f"{ratio:.3f}, not within {args.ratio:.0%} of 1", result)

    speedup = one_simulated / simulated["strong", most]["seconds"]
    reported = next(p["speedup"] for p in points if p["simulated"] and p["kind"] == "strong" and p["ranks"] == most)
    if abs(reported - speedup) > 1e-6 * speedup:
        fail(f"the speedup reported at {most} ranks, {reported}, is not t(1) / t({most}) = {speedup}", result)
    if args.speedup is not None and speedup < args.speedup:
        fail(f"simulated strong speedup {speedup:.1f} at {most} ranks, under {args.speedup:g}", result)

    runs = summary["simulations"]
    if runs["largest_peak_memory_bytes"] > args.max_memory or not runs["largest_peak_memory_bytes"] > 0:
        fail(f"a simulation reached {runs['largest_peak_memory_bytes'] / 2**20:.0f} MiB "
             f"(at most {args.max_memory / 2**20:.0f} MiB)", result)
    if runs["longest_wall_seconds"] > args.max_seconds:
        fail(f"a simulation took {runs['longest_wall_seconds']:.1f} s (at most {args.max_seconds:g} s)", result)

    with open(summary["csv"], newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(points) or {r["simulated"] for r in rows} != {"True", "False"}:
        fail(f"the CSV has {len(rows)} rows for {len(points)} points, marked {sorted({r['simulated'] for r in rows})}")
    for png in summary["pngs"]:
        with open(png, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail(f"{png} is not a PNG image", result)
    print(f"ok: calibrated at {calibration['speed']:.3f}x this machine's core, 2-rank ratio {ratio:.3f}, "
          f"speedup {speedup:.0f} at {most} simulated ranks, the largest simulation "
          f"{runs['largest_peak_memory_bytes'] / 2**20:.0f} MiB and {runs['longest_wall_seconds']:.1f} s")
