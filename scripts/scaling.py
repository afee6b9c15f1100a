#!/usr/bin/env python3
"""Scaling study: sweep ranks x threads of a hybrid program, strong and weak, write a CSV and
draw speedup and efficiency plots; or sweep an MPI program's ranks to 1024 on a simulated cluster.

    scripts/scaling.py [--experiment range_sum|big_power] [--ranks 1,2,4] [--threads 1,2]
                       [--strong N] [--weak N] [--repetitions R] [--cores C] [--out DIR]
    scripts/scaling.py --simulate [--experiment E] [--ranks 1,2,4,...,1024] [--strong N] [--weak N]
                       [--platform FILE] [--repetitions R] [--out DIR] [--json]
    scripts/scaling.py --plot-only scaling.csv [--out DIR]

Strong scaling keeps the problem fixed (range_sum: n = --strong; big_power: --strong powers of
3^(10^6)); weak scaling gives each worker the same share (n = --weak per worker; --weak powers
per worker). Workers are ranks x threads; the lists are arguments, so the same script sweeps
1..N nodes inside a cluster job (OMP_NUM_THREADS and the launcher do the rest).

For each point: the median of the program's own seconds over --repetitions runs, after an
untimed one, interleaved with the other points' runs, and their spread ((max - min) / median); speedup
S = t(1 worker) / t(p); efficiency S / p (weak: t(1) / t(p)); the Karp-Flatt metric
e = (1/S - 1/p) / (1 - 1/p), the serial fraction that point implies. A serial fraction f is
fitted to the strong points (Amdahl: 1/S = f + (1 - f)/p, least squares). Points with more
workers than --cores (default: this machine's) are marked: they measure oversubscription,
not speedup, and stay out of the fit.

Writes DIR/scaling.csv, DIR/speedup.png, DIR/efficiency.png (gnuplot, pngcairo), and prints
a table; --json prints the summary as JSON instead.

--simulate: the MPI program E (range_sum, pool_map, big_power, factorial, array_sum, sleep_map) of
the SMPI build (scripts/setup smpi) on SimGrid's simulated cluster (simulation/cluster.xml, or
--platform), at every rank count of --ranks (default 1, 2, 4, ..., 1024), strong and weak, one
simulation a point. It is calibrated first, on this machine: the real program (build/mpi/E) runs
on 1 and 2 ranks, the best of --repetitions runs after an untimed one, and the simulated core's
speed is set so that the simulated 1-rank run takes what the real one took. The measured 2-rank
run against the simulated one is the calibration's check, reported as a ratio. Every point is
marked simulated or measured; the fit is over the simulated strong points. The simulation runs
every rank's work on this machine, one rank at a time: a point takes about the wall time of one
rank doing the whole job, so weak sizes are kept small (1024 ranks do 1024 times the work).
"""
import csv
import io
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import runner
import simulate  # scripts/simulate.py: the simulated cluster

FIELDS = ["kind", "ranks", "threads", "workers", "size", "seconds", "spread", "speedup", "efficiency", "karp_flatt",
          "beyond_cores", "simulated", "valid"]


def workload(experiment, kind, base, workers):
    """Program arguments and the size they mean."""
    size = base if kind == "strong" else base * workers
    if experiment == "range_sum":
        return [str(size), "--mode", "split"], size
    return ["--exponent", "1000000", "--bases", ",".join(["3"] * size)], size


def sweep(args):
    """Each kind's points after one untimed run each, their repetitions interleaved (a slow
    minute falls on every point alike); the median of each point's own seconds."""
    rows = []
    for kind, base in (("strong", args.strong), ("weak", args.weak)):
        points = {}
        for ranks in args.ranks:
            for threads in args.threads:
                program_args, size = workload(args.experiment, kind, base, ranks * threads)
                points[ranks, threads, size] = (lambda a=program_args, r=ranks, t=threads:
                                                runner.run("hybrid", args.experiment, a, ranks=r, threads=t))
        samples = runner.interleave(points, args.repetitions)
        for (ranks, threads, size), reports in samples.items():
            if not all(r.get("valid") for r in reports):
                sys.exit(f"scaling: {args.experiment} at {ranks}x{threads} did not validate")
            rows.append({"kind": kind, "ranks": ranks, "threads": threads, "workers": ranks * threads,
                         "size": size, "seconds": runner.median(reports), "spread": runner.spread(reports)})
            print(f"  {kind} {ranks} x {threads}: {rows[-1]['seconds']:.4f} s (spread {rows[-1]['spread']:.0%})",
                  file=sys.stderr)
    return rows


def analyse(rows, cores, simulated=False):
    """Speedup, efficiency, Karp-Flatt per point, each against the one-worker point of its own kind
    and source (measured, or simulated); the Amdahl fit over the strong points of `simulated`'s."""
    for kind in ("strong", "weak"):
        for source in (False, True):
            points = [r for r in rows if r["kind"] == kind and bool(r.get("simulated")) == source]
            base = next((r["seconds"] for r in points if int(r["workers"]) == 1), None)
            for r in points:
                p, t = int(r["workers"]), float(r["seconds"])
                speedup = base / t * (p if kind == "weak" else 1) if base else None
                r["speedup"] = speedup
                r["efficiency"] = speedup / p if speedup else None
                r["karp_flatt"] = (1 / speedup - 1 / p) / (1 - 1 / p) if speedup and p > 1 else None
                r["beyond_cores"] = p > cores
    fit = [(int(r["workers"]), r["speedup"]) for r in rows
           if r["kind"] == "strong" and bool(r.get("simulated")) == simulated and r["speedup"]
           and 1 < int(r["workers"]) <= cores]
    if not fit:
        return None
    numerator = sum((1 / s - 1 / p) * (1 - 1 / p) for p, s in fit)
    denominator = sum((1 - 1 / p) ** 2 for p, s in fit)
    return min(1.0, max(0.0, numerator / denominator))


def plot_data(out):
    """The folder of the plots' data files, or None (and why) when there is no gnuplot to draw them."""
    if not shutil.which("gnuplot"):
        print("scaling: gnuplot not found: CSV only (scripts/setup installs gnuplot-nox)", file=sys.stderr)
        return None
    data = out / "plot-data"
    data.mkdir(exist_ok=True)
    return data


def draw(script, out):
    """Runs a gnuplot script that draws out/speedup.png and out/efficiency.png; returns them."""
    done = subprocess.run([shutil.which("gnuplot")], input=script, text=True, capture_output=True)
    if done.returncode != 0:
        sys.exit(f"scaling: gnuplot failed: {done.stderr.strip()}")
    return [out / "speedup.png", out / "efficiency.png"]


def plot(rows, serial_fraction, cores, out, title):
    """speedup.png and efficiency.png through gnuplot; returns the files written."""
    data = plot_data(out)
    if data is None:
        return []
    for kind in ("strong", "weak"):
        for beyond in (False, True):
            with open(data / f"{kind}-{'beyond' if beyond else 'within'}.dat", "w") as f:
                stacked = {}  # labels of points with the same worker count go one above the other
                for r in sorted(rows, key=lambda r: int(r["workers"])):
                    if r["kind"] == kind and bool(r["beyond_cores"]) == beyond and r["speedup"]:
                        e = r["karp_flatt"]
                        label = f"{r['ranks']}x{r['threads']}" + (f" e={e:.3f}" if e is not None else "")
                        level = stacked[r["workers"]] = stacked.get(r["workers"], -1) + 1
                        shift = (0.35 + 0.3 * level) * (-1 if beyond else 1)
                        f.write(f"{r['workers']} {r['speedup']} {r['efficiency']} \"{label}\" {shift}\n")
    most = max(int(r["workers"]) for r in rows)
    f = serial_fraction if serial_fraction is not None else 0
    script = f"""
set terminal pngcairo size 900,600 font ",11" noenhanced
set key top left box opaque
set grid
set xrange [0.8:{most + 0.5}]
set xlabel "workers (ranks x threads)"
set arrow from {cores + 0.5}, graph 0 to {cores + 0.5}, graph 1 nohead dashtype 2 lc rgb "gray40"
set label "beyond {cores} cores: oversubscribed, not speedups" at {cores + 0.6}, graph 0.04 tc rgb "gray30"
set output "{out / 'speedup.png'}"
set title "{title}: strong scaling (labels: ranks x threads, Karp-Flatt e)"
set ylabel "speedup t(1) / t(p)"
set yrange [0:{most + 0.5}]
plot x title "ideal" lc rgb "gray50" dashtype 3, \\
     1 / ({f} + (1 - {f}) / x) title sprintf("Amdahl, fitted serial fraction f = %.3f", {f}) lc rgb "#1f77b4", \\
     "{data / 'strong-within.dat'}" using 1:2 with points pt 7 ps 1.5 lc rgb "#d62728" title "measured", \\
     "{data / 'strong-within.dat'}" using 1:($2+$5):4 with labels font ",9" notitle, \\
     "{data / 'strong-beyond.dat'}" using 1:2 with points pt 6 ps 1.5 lc rgb "#7f7f7f" title "oversubscribed", \\
     "{data / 'strong-beyond.dat'}" using 1:($2+$5):4 with labels font ",9" tc rgb "gray40" notitle
set output "{out / 'efficiency.png'}"
set title "{title}: parallel efficiency"
set ylabel "efficiency"
set yrange [0:1.2]
plot 1 title "ideal" lc rgb "gray50" dashtype 3, \\
     "{data / 'strong-within.dat'}" using 1:3 with linespoints pt 7 ps 1.3 lc rgb "#d62728" title "strong: t(1) / (p t(p))", \\
     "{data / 'weak-within.dat'}" using 1:3 with linespoints pt 5 ps 1.3 lc rgb "#2ca02c" title "weak: t(1) / t(p), p times the work", \\
     "{data / 'strong-beyond.dat'}" using 1:3 with points pt 6 ps 1.3 lc rgb "#7f7f7f" title "oversubscribed", \\
     "{data / 'weak-beyond.dat'}" using 1:3 with points pt 4 ps 1.3 lc rgb "#7f7f7f" notitle
"""
    return draw(script, out)


# --simulate: the MPI programs a simulated cluster shows scaling, and for each what a size means:
# (the program's arguments for a size, the default strong size, the default weak size per rank).
# Weak sizes stay small: a simulation runs the work of all its ranks on this machine.
SIMULATED = {
    "range_sum": (lambda n: [str(n), "--mode", "split"], 16_000_000_000, 20_000_000),       # n
    "pool_map": (lambda n: ["--count", str(n)], 20_000_000, 20_000),                        # numbers squared
    "big_power": (lambda n: ["--exponent", "1000000", "--bases", ",".join(["3"] * n)], 64, 1),  # powers 3^(10^6)
    "factorial": (lambda n: [str(n), "--steps", "1"], 1_000_000, 1_000),                    # N of N!
    "array_sum": (lambda n: [str(n), "--variant", "materialized"], 100_000_000, 100_000),   # values of np.arange
    "sleep_map": (lambda n: ["--items", ",".join(str(1 + k % 4) for k in range(n)), "--scale", "0.001",
                             "--schedule", "longest-first"], 256, 4),                        # sleeps of 1 to 4 ms
}
SMPI_BUILD = runner.ROOT / "build-smpi"


def powers_of_two(most):
    return [1 << k for k in range(most.bit_length()) if 1 << k <= most]


class Simulations:
    """The simulated points of one study: each a run of scripts/simulate's machinery, its report
    checked, and the largest memory and the longest wall time any of them took."""

    def __init__(self, experiment, platform):
        self.experiment, self.platform = experiment, platform
        self.program = SMPI_BUILD / "mpi" / experiment
        self.count, self.peak, self.longest, self.wall = 0, 0, 0.0, 0.0

    def seconds(self, arguments, ranks, speed, times=1):
        """The least simulated time of `times` simulations: each measures every rank's computation
        here anew, and a neighbour on this machine only ever makes a measurement slower."""
        return min(self.once(arguments, ranks, speed) for _ in range(times))

    def once(self, arguments, ranks, speed):
        start = time.perf_counter()
        try:
            code, stdout, stderr, peak = simulate.run(self.program, arguments + ["--json"], ranks, self.platform,
                                                           speed, timeout=1800)
        except simulate.Refusal as e:
            sys.exit(f"scaling: {e}")
        wall = time.perf_counter() - start
        self.count, self.wall = self.count + 1, self.wall + wall
        self.peak, self.longest = max(self.peak, peak), max(self.longest, wall)
        try:
            report = json.loads(stdout)
        except json.JSONDecodeError:
            report = {}
        if code != 0 or not report.get("valid"):
            why = report.get("failure") or (stderr.strip().splitlines() or ["no report"])[-1][:300]
            sys.exit(f"scaling: {self.experiment} on {ranks} simulated ranks did not validate "
                     f"({'killed after 1800 s' if code is None else f'exit {code}'}): {why}")
        return float(report["seconds"])


def simulated_sweep(args):
    """The measured points (1 and 2 ranks, the best of the repetitions), the calibration, then a
    simulation for every point; returns (rows, calibration, simulations)."""
    arguments = SIMULATED[args.experiment][0]
    sizes = {"strong": lambda ranks: args.strong, "weak": lambda ranks: args.weak * ranks}
    measured = {}
    for kind in ("strong", "weak"):
        for ranks in (1, 2):
            size = sizes[kind](ranks)
            measured[kind, ranks, size] = (lambda a=arguments(size), r=ranks: runner.run("mpi", args.experiment, a, ranks=r))
    print(f"  measuring {args.experiment} on this machine: 1 and 2 ranks, {args.repetitions} runs each", file=sys.stderr)
    rows = []
    for (kind, ranks, size), reports in runner.interleave(measured, args.repetitions).items():
        if not all(r.get("valid") and not r.get("exit_code") for r in reports):
            sys.exit(f"scaling: {args.experiment} at {ranks} ranks did not validate on this machine")
        best = min(float(r["seconds"]) for r in reports)  # noise only ever slows a run
        rows.append({"kind": kind, "ranks": ranks, "threads": 1, "workers": ranks, "size": size, "seconds": best,
                     "spread": runner.spread(reports), "simulated": False, "valid": True})
        print(f"  measured  {kind} {ranks:4}: {best:.6f} s (best of {len(reports)})", file=sys.stderr)
    best = {(r["kind"], r["ranks"]): r["seconds"] for r in rows}

    # The simulated node is this machine's: ranks on one node talk at the bandwidth and latency MPI
    # reaches here between two ranks (bench/mpi_copy: a large message, and a small one each way).
    large, small = runner.mpi_copy(100_000_000), runner.mpi_copy(8, 20)  # large: beyond the caches
    latency = small["seconds"] / 2
    bandwidth = large["bytes"] / max(large["seconds"] - latency, 1e-9)
    platform = args.out / "platform.xml"
    if simulate.with_node_links(args.platform, bandwidth, latency, platform) == 0:
        print(f"  {args.platform.name} has no cluster: its nodes' own links are kept", file=sys.stderr)
    node_link = {"bandwidth_bytes_per_second": bandwidth, "latency_seconds": latency, "platform": str(platform)}
    print(f"  calibrated: ranks on one node talk at {bandwidth / 1e9:.2f} GB/s, {latency * 1e6:.2f} us (as here)",
          file=sys.stderr)
    sims = Simulations(args.experiment, platform)
    # The simulated core's speed against this machine's: simulated at speed 1, one rank takes the CPU
    # time its code took here (the least of two simulations); the speed makes it the measured time.
    at_one = sims.seconds(arguments(args.strong), 1, 1.0, times=2)
    speed = at_one / best["strong", 1]
    print(f"  calibrated: a simulated core runs {speed:.3f}x as fast as this machine's", file=sys.stderr)
    for kind in ("strong", "weak"):
        for ranks in args.ranks:
            size = sizes[kind](ranks)
            seconds = sims.seconds(arguments(size), ranks, speed, times=args.repetitions)
            rows.append({"kind": kind, "ranks": ranks, "threads": 1, "workers": ranks, "size": size, "seconds": seconds,
                         "spread": 0.0, "simulated": True, "valid": True})
            print(f"  simulated {kind} {ranks:4}: {seconds:.6f} s (least of {args.repetitions})", file=sys.stderr)
    simulated = {(r["kind"], r["ranks"]): r["seconds"] for r in rows if r["simulated"]}
    two = simulated.get(("strong", 2)) or sims.seconds(arguments(args.strong), 2, speed, times=args.repetitions)
    calibration = {"measured_seconds": best["strong", 2], "simulated_seconds": two,
                   "ratio": two / best["strong", 2], "speed": speed, "node_link": node_link,
                   "one_rank": {"measured_seconds": best["strong", 1], "simulated_seconds": simulated.get(("strong", 1)),
                                "simulated_seconds_at_speed_1": at_one}}
    simulations = {"count": sims.count, "wall_seconds": round(sims.wall, 3), "longest_wall_seconds": round(sims.longest, 3),
                   "largest_peak_memory_bytes": sims.peak}
    return rows, calibration, simulations


def plot_simulated(rows, serial_fraction, out, title):
    """speedup.png and efficiency.png of a simulated study: the simulated points as lines, the
    measured ones beside them in another colour, both axes of the speedup in powers of two."""
    data = plot_data(out)
    if data is None:
        return []
    for kind in ("strong", "weak"):
        for source in ("simulated", "measured"):
            with open(data / f"{kind}-{source}.dat", "w") as f:
                for r in sorted(rows, key=lambda r: int(r["workers"])):
                    if r["kind"] == kind and bool(r.get("simulated")) == (source == "simulated") and r["speedup"]:
                        f.write(f"{r['workers']} {r['speedup']} {r['efficiency']}\n")
    most = max(int(r["workers"]) for r in rows)
    f = serial_fraction if serial_fraction is not None else 0
    script = f"""
set terminal pngcairo size 900,600 font ",11" noenhanced
set key top left box opaque
set grid
set logscale x 2
set xrange [0.8:{most * 1.25}]
set xlabel "ranks"
set output "{out / 'speedup.png'}"
set title "{title}: strong scaling"
set logscale y 2
set ylabel "speedup t(1) / t(p)"
set yrange [0.8:{most * 1.25}]
plot x title "ideal" lc rgb "gray50" dashtype 3, \\
     1 / ({f} + (1 - {f}) / x) title sprintf("Amdahl, fitted serial fraction f = %.2g", {f}) lc rgb "#9467bd" dashtype 2, \\
     "{data / 'strong-simulated.dat'}" using 1:2 with linespoints pt 7 ps 1.2 lw 2 lc rgb "#1f77b4" title "simulated (SimGrid SMPI)", \\
     "{data / 'strong-measured.dat'}" using 1:2 with points pt 5 ps 1.6 lc rgb "#d62728" title "measured on this machine"
set output "{out / 'efficiency.png'}"
set title "{title}: parallel efficiency"
unset logscale y
set ylabel "efficiency"
set yrange [0:1.2]
set key bottom left box opaque
plot 1 title "ideal" lc rgb "gray50" dashtype 3, \\
     "{data / 'strong-simulated.dat'}" using 1:3 with linespoints pt 7 ps 1.2 lw 2 lc rgb "#1f77b4" title "strong, simulated", \\
     "{data / 'weak-simulated.dat'}" using 1:3 with linespoints pt 9 ps 1.2 lw 2 lc rgb "#2ca02c" title "weak (p times the work), simulated", \\
     "{data / 'strong-measured.dat'}" using 1:3 with points pt 5 ps 1.6 lc rgb "#d62728" title "strong, measured", \\
     "{data / 'weak-measured.dat'}" using 1:3 with points pt 4 ps 1.6 lw 2 lc rgb "#d62728" title "weak, measured"
"""
    return draw(script, out)


def failed_run_ends(sweep_of, args):
    """The sweep's result; a run that could not start or printed no report (a size the program
    refuses, an argument list too long) ends the study with one line, the program's own error
    line where it gave one."""
    try:
        return sweep_of(args)
    except (RuntimeError, OSError) as e:
        text = str(e)
        said = next((line.strip() for line in text.split("no JSON:", 1)[-1].splitlines() if ": error: " in line), "")
        sys.exit(f"scaling: a run of {args.experiment} failed: {said or ' '.join(text.split())[:300]}")


def main():
    parser = runner.Parser(prog="scaling.py", description=__doc__)
    parser.add_argument("--experiment", choices=sorted(SIMULATED), default="range_sum",
                        help="range_sum or big_power (hybrid); with --simulate, any of these MPI programs")
    parser.add_argument("--ranks", type=runner.whole_numbers(1, 1 << 20),
                        help="rank counts (default 1,2,4; simulated: 1,2,4,...,1024)")
    parser.add_argument("--threads", type=runner.whole_numbers(1, 1024), help="thread counts (default 1,2)")
    parser.add_argument("--strong", type=runner.whole_number(1, 2**63 - 1), help="strong size (range_sum: n; big_power: powers)")
    parser.add_argument("--weak", type=runner.whole_number(1, 2**63 - 1), help="weak size per worker")
    parser.add_argument("--repetitions", type=runner.whole_number(1, 100), default=3)
    parser.add_argument("--cores", type=runner.whole_number(1, 1 << 20), default=runner.CORES, help="cores available (default: this machine's)")
    parser.add_argument("--out", type=Path, help="folder of the CSV and plots (default build/scaling, or build/scaling-simulated/E)")
    parser.add_argument("--plot-only", type=Path, metavar="CSV", help="draw the plots from an existing CSV")
    parser.add_argument("--simulate", action="store_true", help="an MPI program on a simulated cluster (SimGrid SMPI)")
    parser.add_argument("--platform", type=Path, help="with --simulate: a SimGrid platform (default simulation/cluster.xml)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--title", help="the plots' title (default: the experiment, or the CSV's name)")
    args = parser.parse_args()
    calibration = simulations = None
    if args.simulate:
        if args.plot_only:
            parser.error("--simulate makes its points: --plot-only draws a CSV that exists")
        if args.threads and args.threads != [1]:
            parser.error("--simulate sweeps ranks of one thread: SMPI runs the MPI programs, not the hybrid ones")
        args.platform = args.platform or simulate.PLATFORM
        try:
            hosts, _ = simulate.platform_hosts(args.platform)
        except simulate.Refusal as e:
            parser.error(str(e))
        args.cores = sum(cores for _, cores in hosts)
        args.ranks = args.ranks or powers_of_two(args.cores)
        if max(args.ranks) > args.cores:
            parser.error(f"--ranks {max(args.ranks)}: the platform {args.platform.name} has {args.cores} cores, one rank to a core")
        _, strong, weak = SIMULATED[args.experiment]
        args.out = args.out or runner.BUILD / "scaling-simulated" / args.experiment
    else:
        if args.platform:
            parser.error("--platform describes a simulated cluster: it goes with --simulate")
        if args.experiment not in ("range_sum", "big_power") and not args.plot_only:
            parser.error(f"--experiment {args.experiment}: the real study sweeps the hybrid range_sum or big_power "
                         "(the MPI programs go with --simulate)")
        args.ranks, args.threads = args.ranks or [1, 2, 4], args.threads or [1, 2]
        if max(args.ranks) > 1024:
            parser.error(f"--ranks {max(args.ranks)}: at most 1024 ranks on a real machine")
        strong, weak = {"range_sum": (4_000_000_000, 1_000_000_000), "big_power": (8, 2)}.get(args.experiment, (1, 1))
        args.out = args.out or runner.BUILD / "scaling"
    args.strong = args.strong or strong
    args.weak = args.weak or weak
    if args.simulate:
        if not (SMPI_BUILD / "mpi" / args.experiment).is_file():
            parser.error(f"no build-smpi/mpi/{args.experiment}: scripts/setup smpi builds the MPI programs for SMPI")
        for needed in (runner.BUILD / "mpi" / args.experiment, runner.BUILD / "bench" / "mpi_copy"):
            if not needed.is_file():
                parser.error(f"no build/{needed.relative_to(runner.BUILD)}: the real build calibrates the simulation "
                             "(scripts/setup builds it)")
        if args.cores < 2:
            parser.error(f"--platform: {args.platform.name} has {args.cores} core: the calibration compares 2 ranks")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(f"--out: cannot make the folder {args.out}: {e.strerror}")

    if args.plot_only:
        try:
            with open(args.plot_only, newline="") as f:
                rows = [dict(r) for r in csv.DictReader(f)]
            for r in rows:
                missing = [k for k in ("kind", "ranks", "threads", "workers", "seconds") if k not in r]
                if missing:
                    raise ValueError(f"no {missing[0]} column")
                r["seconds"] = float(r["seconds"])
                r["simulated"] = str(r.get("simulated", "")).lower() == "true"
                if r["kind"] not in ("strong", "weak") or int(r["workers"]) < 1 or not 0 < r["seconds"] < math.inf:
                    raise ValueError(f"a point with kind {r['kind']!r}, {r['workers']!r} workers, {r['seconds']} s")
        except (OSError, UnicodeDecodeError, ValueError, TypeError, csv.Error) as e:
            parser.error(f"--plot-only: {args.plot_only} is not a scaling CSV: {getattr(e, 'strerror', None) or e}")
        if not rows:
            parser.error(f"--plot-only: {args.plot_only} has no points")
        title = args.title or f"scaling ({args.plot_only.name})"
        args.simulate = any(r["simulated"] for r in rows)
        if args.simulate:
            args.cores = max(int(r["workers"]) for r in rows)
    elif args.simulate:
        if 1 not in args.ranks:
            parser.error("the sweep needs 1 rank: speedups are against one worker")
        rows, calibration, simulations = failed_run_ends(simulated_sweep, args)
        title = args.title or f"{args.experiment} (MPI), simulated with SimGrid SMPI, calibrated on this machine"
    else:
        if 1 not in args.ranks or 1 not in args.threads:
            parser.error("the sweep needs 1 rank and 1 thread: speedups are against one worker")
        rows = failed_run_ends(sweep, args)
        title = args.title or f"hybrid {args.experiment}"
    serial_fraction = analyse(rows, args.cores, simulated=args.simulate)
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=FIELDS)
    writer.writeheader()
    for r in rows:
        writer.writerow({k: r.get(k) for k in FIELDS})
    runner.write_whole(args.out / "scaling.csv", table.getvalue())
    if args.simulate:
        pngs = plot_simulated(rows, serial_fraction, args.out, title)
    else:
        pngs = plot(rows, serial_fraction, args.cores, args.out, title)
    summary = {"serial_fraction": serial_fraction, "cores": args.cores, "csv": str(args.out / "scaling.csv"),
               "pngs": [str(p) for p in pngs], "points": [{k: r.get(k) for k in FIELDS} for r in rows]}
    if calibration:
        summary.update(experiment=args.experiment, platform=str(args.platform), calibration=calibration,
                       simulations=simulations)
    if args.json:
        print(json.dumps(summary))
        return
    for r in rows:
        sp = f"{r['speedup']:.2f}" if r["speedup"] else "-"
        ef = f"{r['efficiency']:.2f}" if r["efficiency"] else "-"
        kf = f"{r['karp_flatt']:.3f}" if r["karp_flatt"] is not None else "-"
        note = "  (beyond the cores: not a speedup)" if r["beyond_cores"] else ""
        source = ("simulated " if r.get("simulated") else "measured  ") if args.simulate else ""
        print(f"{source}{r['kind']:6} {r['ranks']:>4} x {r['threads']:<3} {float(r['seconds']):10.6f} s  speedup {sp:>7}  "
              f"efficiency {ef:>5}  Karp-Flatt {kf:>6}{note}")
    if serial_fraction is not None:
        where = "simulated strong points" if args.simulate else f"strong points within {args.cores} cores"
        print(f"Amdahl fit over the {where}: serial fraction f = {serial_fraction:.4g}")
    if calibration:
        print(f"calibration: a simulated core runs {calibration['speed']:.3f}x as fast as this machine's; at 2 ranks "
              f"simulated {calibration['simulated_seconds']:.6f} s against measured {calibration['measured_seconds']:.6f} s "
              f"(ratio {calibration['ratio']:.3f})")
        print(f"simulations: {simulations['count']} in {simulations['wall_seconds']:.1f} s, the longest "
              f"{simulations['longest_wall_seconds']:.1f} s, at most {simulations['largest_peak_memory_bytes'] / 2**20:.0f} MiB")
    print(f"wrote {args.out / 'scaling.csv'}" + "".join(f", {p}" for p in pngs))


if __name__ == "__main__":
    runner.script(main)
