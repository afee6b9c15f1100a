"""tour: the table's arithmetic, from the samples it reports: every row validated, its seconds the
median of its samples (as many as asked), its spread (max - min) / median; each speedup the base
row's median over its own, times the work; a speedup above the worker count always flagged, and
one nearer to 1 than the two spreads flagged as noise; the CPUs each row kept busy no more than
the machine has, and OpenMP's sleeping threads less than half of one (MPI's ranks poll while they wait in a
collective for a rank still asleep: they keep CPUs busy)."""
import json
import statistics

from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--repetitions", type=int, required=True, help="the timed runs of each compute row")
    parser.add_argument("--experiments", required=True, help="the experiments the tour ran, comma-separated")


def check(args, command):
    result = run(command, timeout=900)
    try:
        tour = json.loads(result.stdout)
    except json.JSONDecodeError:
        fail("the tour printed no JSON", result)
    rows = tour["rows"]
    if sorted({r["experiment"] for r in rows}) != sorted(args.experiments.split(",")):
        fail(f"experiments {sorted({r['experiment'] for r in rows})}", result)
    for r in rows:
        name = f"{r['experiment']} {r['model']} {r['mode']} x{r['workers']}"
        if not r["valid"]:
            fail(f"{name} did not validate: {r['result']}", result)
        samples = r["samples"]
        if len(samples) != r["repetitions"] or r["repetitions"] not in (args.repetitions, min(args.repetitions, 2)):
            fail(f"{name}: {len(samples)} samples, {r['repetitions']} repetitions", result)
        median = statistics.median(samples)
        if abs(r["seconds"] - median) > 1e-12 or abs(r["spread"] - (max(samples) - min(samples)) / median) > 1e-9:
            fail(f"{name}: seconds {r['seconds']} and spread {r['spread']} are not those of {samples}", result)
        busy = r["cpus_busy"]
        if busy is None or not 0 < busy <= tour["cores"] * 1.05:
            fail(f"{name}: {busy} CPUs busy, on a machine of {tour['cores']}", result)
        if r["experiment"] == "sleep_map" and r["model"] == "openmp" and busy > 0.5:
            fail(f"{name}: {busy:.2f} CPUs busy while it sleeps (sleeping needs no core)", result)
        base = next(b for b in rows if (b["experiment"], b["model"], b["mode"], b["workers"])
                    == (r["experiment"], r["model"], r["mode"], 1))
        work = r["workers"] if r["mode"] == "replicate" else 1
        speedup = base["seconds"] * work / r["seconds"]
        if r["speedup"] is None or abs(r["speedup"] - speedup) > 1e-9 * speedup:
            fail(f"{name}: speedup {r['speedup']}, the medians give {speedup}", result)
        above = r["workers"] > 1 and speedup > r["workers"]
        noise = r["workers"] > 1 and not above and abs(speedup - 1) <= r["spread"] + base["spread"]
        flag = "above_workers" if above else "within_noise" if noise else None
        if r["speedup_flag"] != flag:
            fail(f"{name}: speedup {speedup:.3f} flagged {r['speedup_flag']}, expected {flag}", result)
    print(f"ok: {len(rows)} rows in {tour['seconds']:.0f} s, medians, spreads and speedups as their samples give")
