#!/usr/bin/env python3
"""Scaling study: sweep ranks x threads of a hybrid program, strong and weak, write a CSV and
draw speedup and efficiency plots.

    scripts/scaling.py [--experiment range_sum|big_power] [--ranks 1,2,4] [--threads 1,2]
                       [--strong N] [--weak N] [--repetitions R] [--cores C] [--out DIR]
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
"""
import csv
import io
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import runner

FIELDS = ["kind", "ranks", "threads", "workers", "size", "seconds", "spread", "speedup", "efficiency", "karp_flatt",
          "beyond_cores"]


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


def analyse(rows, cores):
    """Speedup, efficiency, Karp-Flatt per point; the Amdahl fit over the strong points."""
    for kind in ("strong", "weak"):
        points = [r for r in rows if r["kind"] == kind]
        base = next((r["seconds"] for r in points if int(r["workers"]) == 1), None)
        for r in points:
            p, t = int(r["workers"]), float(r["seconds"])
            speedup = base / t * (p if kind == "weak" else 1) if base else None
            r["speedup"] = speedup
            r["efficiency"] = speedup / p if speedup else None
            r["karp_flatt"] = (1 / speedup - 1 / p) / (1 - 1 / p) if speedup and p > 1 else None
            r["beyond_cores"] = p > cores
    fit = [(int(r["workers"]), r["speedup"]) for r in rows
           if r["kind"] == "strong" and r["speedup"] and 1 < int(r["workers"]) <= cores]
    if not fit:
        return None
    numerator = sum((1 / s - 1 / p) * (1 - 1 / p) for p, s in fit)
    denominator = sum((1 - 1 / p) ** 2 for p, s in fit)
    return min(1.0, max(0.0, numerator / denominator))


def plot(rows, serial_fraction, cores, out, title):
    """speedup.png and efficiency.png through gnuplot; returns the files written."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("scaling: gnuplot not found: CSV only (scripts/setup installs gnuplot-nox)", file=sys.stderr)
        return []
    data = out / "plot-data"
    data.mkdir(exist_ok=True)
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
    done = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if done.returncode != 0:
        sys.exit(f"scaling: gnuplot failed: {done.stderr.strip()}")
    return [out / "speedup.png", out / "efficiency.png"]


def main():
    parser = runner.Parser(prog="scaling.py", description=__doc__)
    parser.add_argument("--experiment", choices=["range_sum", "big_power"], default="range_sum")
    parser.add_argument("--ranks", type=runner.whole_numbers(1, 1024), default=[1, 2, 4])
    parser.add_argument("--threads", type=runner.whole_numbers(1, 1024), default=[1, 2])
    parser.add_argument("--strong", type=runner.whole_number(1, 2**63 - 1), help="strong size (range_sum: n; big_power: powers)")
    parser.add_argument("--weak", type=runner.whole_number(1, 2**63 - 1), help="weak size per worker")
    parser.add_argument("--repetitions", type=runner.whole_number(1, 100), default=3)
    parser.add_argument("--cores", type=runner.whole_number(1, 1 << 20), default=runner.CORES, help="cores available (default: this machine's)")
    parser.add_argument("--out", type=Path, default=runner.BUILD / "scaling")
    parser.add_argument("--plot-only", type=Path, metavar="CSV", help="draw the plots from an existing CSV")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--title", help="the plots' title (default: the experiment, or the CSV's name)")
    args = parser.parse_args()
    defaults = {"range_sum": (4_000_000_000, 1_000_000_000), "big_power": (8, 2)}[args.experiment]
    args.strong = args.strong or defaults[0]
    args.weak = args.weak or defaults[1]
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
                if r["kind"] not in ("strong", "weak") or int(r["workers"]) < 1 or not 0 < r["seconds"] < math.inf:
                    raise ValueError(f"a point with kind {r['kind']!r}, {r['workers']!r} workers, {r['seconds']} s")
        except (OSError, UnicodeDecodeError, ValueError, TypeError, csv.Error) as e:
            parser.error(f"--plot-only: {args.plot_only} is not a scaling CSV: {getattr(e, 'strerror', None) or e}")
        if not rows:
            parser.error(f"--plot-only: {args.plot_only} has no points")
        title = args.title or f"scaling ({args.plot_only.name})"
    else:
        if 1 not in args.ranks or 1 not in args.threads:
            parser.error("the sweep needs 1 rank and 1 thread: speedups are against one worker")
        rows = sweep(args)
        title = args.title or f"hybrid {args.experiment}"
    serial_fraction = analyse(rows, args.cores)
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=FIELDS)
    writer.writeheader()
    for r in rows:
        writer.writerow({k: r.get(k) for k in FIELDS})
    runner.write_whole(args.out / "scaling.csv", table.getvalue())
    pngs = plot(rows, serial_fraction, args.cores, args.out, title)
    summary = {"serial_fraction": serial_fraction, "cores": args.cores, "csv": str(args.out / "scaling.csv"),
               "pngs": [str(p) for p in pngs], "points": [{k: r.get(k) for k in FIELDS} for r in rows]}
    if args.json:
        print(json.dumps(summary))
        return
    for r in rows:
        sp = f"{r['speedup']:.2f}" if r["speedup"] else "-"
        ef = f"{r['efficiency']:.2f}" if r["efficiency"] else "-"
        kf = f"{r['karp_flatt']:.3f}" if r["karp_flatt"] is not None else "-"
        note = "  (beyond the cores: not a speedup)" if r["beyond_cores"] else ""
        print(f"{r['kind']:6} {r['ranks']:>3} x {r['threads']:<3} {float(r['seconds']):9.4f} s  speedup {sp:>5}  "
              f"efficiency {ef:>5}  Karp-Flatt {kf:>6}{note}")
    if serial_fraction is not None:
        print(f"Amdahl fit over the strong points within {args.cores} cores: serial fraction f = {serial_fraction:.4f}")
    print(f"wrote {args.out / 'scaling.csv'}" + "".join(f", {p}" for p in pngs))


if __name__ == "__main__":
    runner.script(main)
