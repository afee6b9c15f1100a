#!/usr/bin/env python3
"""The notebooks' pictures, remade and measured: each CPU over time, as the notebook's htop
screenshots show them, for a Python run beside the C++ program that answers it, and a timeline
of a hybrid run (what each rank and thread did, and when).

    scripts/pictures [--out DIR] [--only NAME]

    threads     single-cpu.png: three Python threads sum a range (the GIL: one CPU busy), against
                OpenMP's three threads on the same sum
    numpy       multi-cpu.png: numpy's sum of np.arange, against array_sum's OpenMP threads
    processes   multi-process.png: three Python processes, against three MPI ranks
    schedule    parallel_vs_serial.webp: the notebook's sleeps [1, 2, 3, 4] in a serial loop,
                against two threads under static blocks, a queue (Pool.map's way) and longest-first,
                drawn from openmp/sleep_map's own JSON: which thread slept each item, and when
    timeline    the hybrid range sum on 2 ranks x 2 threads, from scripts/trace
    simulated   (only when asked: it needs the SMPI build, scripts/setup smpi, and takes minutes)
                every MPI program of scripts/scaling.py --simulate on 1 to 1024 simulated ranks,
                strong and weak, calibrated on this machine, in one picture; and their table

Writes DIR/cpu-NAME.png (default DIR: docs/), DIR/schedule-sleep_map.png and
DIR/timeline-hybrid.png, and prints each side's cpus_busy: the CPU seconds of the command per
wall second (for the schedule, each schedule's wall time); with --only simulated,
DIR/simulated-scaling.png and a Markdown table of each program's speedups and calibration.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import cpu  # noqa: E402
import runner  # noqa: E402

BUILD = runner.BUILD
TWINS = ROOT / "scripts" / "twins"


def pairs(python, numpy_python):
    mpi = runner.mpi_launch(3)
    return {
        "threads": ("Python's threads against OpenMP's: sum(range(0, N)) split in three",
                    [("Python, 3 threads", [python, str(TWINS / "range_sum.py"), "60000000", "--model", "threads",
                                            "--workers", "3", "--mode", "split"], {}),
                     ("OpenMP, 3 threads", [str(BUILD / "openmp" / "range_sum"), "3e10", "--mode", "split"],
                      {"OMP_NUM_THREADS": "3"})]),
        "numpy": ("numpy against Eigen and OpenMP: the sum of np.arange(0, N)",
                  [("numpy", [numpy_python, str(TWINS / "array_sum.py"), "300000000"], {}),
                   ("array_sum, 3 OpenMP threads", [str(BUILD / "openmp" / "array_sum"), "3e8", "--variant",
                                                    "materialized"], {"OMP_NUM_THREADS": "3"})]),
        "processes": ("Python's processes against MPI's ranks: sum(range(0, N)) split in three",
                      [("Python, 3 processes", [python, str(TWINS / "range_sum.py"), "90000000", "--model",
                                                "processes", "--workers", "3", "--mode", "split"], {}),
                       ("MPI, 3 ranks", mpi + [str(BUILD / "mpi" / "range_sum"), "8e10", "--mode", "split"],
                        runner.mpi_environment())]),
    }


ITEMS = [1, 2, 3, 4]  # the notebook's my_list
SCALE = 0.25  # seconds per item unit: the notebook's 10 s loop in 2.5 s
ITEM_COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]


def schedules():
    """openmp/sleep_map's runs: the serial loop (one thread) and every schedule on two threads,
    each as (row label, wall seconds, [(thread, item value, start, end)])."""
    rows = []
    for threads, only in ((1, "static"), (2, "all")):
        command = [str(BUILD / "openmp" / "sleep_map"), "--items", ",".join(map(str, ITEMS)), "--scale", str(SCALE),
                   "--schedule", only, "--json"]
        done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed (exit code {done.returncode})")
        report = json.loads(done.stdout)
        for run in report["runs"]:
            name = "serial loop" if threads == 1 else {"static": "static blocks", "dynamic": "a queue (Pool.map)",
                                                       "longest-first": "longest first"}[run["schedule"]]
            spans = [(s["worker"], x, s["start"], s["end"]) for x, s in zip(ITEMS, run["spans"])]
            rows.append((name, threads, run["seconds"], run["predicted"], spans))
    return rows


def draw_schedule(runs, png, width=1000):
    """A Gantt chart: a row per thread of each run (a gap between runs), a box per item it
    slept, labelled x for dormir(x), and the run's wall time after its last box."""
    gnuplot = shutil.which("gnuplot")
    span = max(seconds for _, _, seconds, _, _ in runs)
    rows, y = [], 0.0
    for name, threads, seconds, _, spans in reversed(runs):
        last = max(spans, key=lambda s: s[3])[0]
        for t in reversed(range(threads)):
            rows.append((y, f"{name}, thread {t}", seconds if t == last else None, [s for s in spans if s[0] == t]))
            y += 1
        y += 0.5
    with tempfile.TemporaryDirectory() as folder:
        boxes, labels, tics = Path(folder) / "boxes.dat", [], []
        with open(boxes, "w") as f:
            for y, name, seconds, spans in rows:
                tics.append(f'"{name}" {y}')
                for _, x, begin, end in spans:
                    f.write(f"{(begin + end) / 2:.6f} {y} {(end - begin) / 2:.6f} 0.38 {(x - 1) % len(ITEM_COLOURS)}\n")
                    labels.append(f'set label "{x}" at {(begin + end) / 2:.6f},{y} center front tc rgb "white"')
                if seconds is not None:
                    labels.append(f'set label "{seconds:.2f} s" at {seconds + span * 0.01:.6f},{y} left')
        palette = ", ".join(f'{k} "{c}"' for k, c in enumerate(ITEM_COLOURS))
        lines = [f'set terminal pngcairo size {width},{150 + 44 * len(rows)} font ",11" noenhanced',
                 f'set output "{png}"',
                 f'set title "dormir(x) for {ITEMS} at {SCALE:g} s per unit: a serial loop and 2 OpenMP threads'
                 f'\\n(a box per item, labelled x; as openmp/sleep_map measured it)" font ",12"',
                 'set xlabel "seconds since the schedule started"', f"set xrange [0:{span * 1.1:.6f}]",
                 f"set yrange [-0.7:{rows[-1][0] + 0.7}]", f"set ytics nomirror ({', '.join(tics)})",
                 "set grid xtics lc rgb '#dddddd'", "set style fill solid 0.9 noborder", "unset key",
                 "unset colorbox", f"set palette defined ({palette})", f"set cbrange [0:{len(ITEM_COLOURS) - 1}]",
                 *labels, f'plot "{boxes}" using 1:2:3:4:5 with boxxyerror lc palette']
        done = subprocess.run([gnuplot], input="\n".join(lines) + "\n", text=True, capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"gnuplot failed: {' '.join(done.stderr.split())[:300]}")


SIMULATED_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def simulated_studies(repetitions=3):
    """scripts/scaling.py --simulate's summary of each MPI program it studies (its CSV and plots
    in build/scaling-simulated/<experiment>/)."""
    import scaling  # scripts/scaling.py: which programs, and their sizes
    studies = {}
    for experiment in scaling.SIMULATED:
        command = [sys.executable, str(ROOT / "scripts" / "scaling.py"), "--simulate", "--experiment", experiment,
                   "--repetitions", str(repetitions), "--json"]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=dict(os.environ, **runner.mpi_environment()))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed (exit code {done.returncode})")
        studies[experiment] = json.loads(done.stdout)
    return studies


def draw_simulated(studies, png):
    """Two panels: each program's simulated strong speedup (both axes in powers of two), and its
    weak efficiency, against the ranks."""
    most = max(p["ranks"] for s in studies.values() for p in s["points"])
    with tempfile.TemporaryDirectory() as folder:
        strong, weak = [], []
        for k, (experiment, study) in enumerate(studies.items()):
            colour = SIMULATED_COLOURS[k % len(SIMULATED_COLOURS)]
            for kind, plots, column in (("strong", strong, 2), ("weak", weak, 3)):
                data = Path(folder) / f"{experiment}-{kind}.dat"
                points = sorted((p for p in study["points"] if p["simulated"] and p["kind"] == kind),
                                key=lambda p: p["ranks"])
                data.write_text("".join(f"{p['ranks']} {p['speedup']} {p['efficiency']}\n" for p in points))
                plots.append(f'"{data}" using 1:{column} with linespoints pt 7 ps 1 lw 2 lc rgb "{colour}" '
                             f'title "{experiment}"')
        lines = ['set terminal pngcairo size 1400,620 font ",11" noenhanced', f'set output "{png}"',
                 "set multiplot layout 1,2 title \"The MPI programs on 64 nodes x 16 cores of HDR InfiniBand: simulated "
                 "with SimGrid SMPI, calibrated on this machine\" font \",13\"",
                 "set grid", "set logscale x 2", f"set xrange [0.8:{most * 1.25}]", 'set xlabel "ranks"',
                 'set key top left box opaque', "set logscale y 2", f"set yrange [0.4:{most * 1.25}]",
                 'set title "strong scaling: speedup t(1) / t(p), each at its default size"',
                 'set ylabel "speedup"', "plot x title \"ideal\" lc rgb \"gray50\" dashtype 3, " + ", ".join(strong),
                 "unset logscale y", "set yrange [0:1.15]", 'set key bottom left box opaque',
                 'set title "weak scaling: efficiency t(1) / t(p), p times the work"', 'set ylabel "efficiency"',
                 "plot 1 title \"ideal\" lc rgb \"gray50\" dashtype 3, " + ", ".join(weak), "unset multiplot"]
        done = subprocess.run([shutil.which("gnuplot")], input="\n".join(lines) + "\n", text=True, capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"gnuplot failed: {' '.join(done.stderr.split())[:300]}")


def simulated_table(studies):
    """The studies as a Markdown table: size, calibration, speedups at 64, 256 and 1024 ranks."""
    rows = ["| program | strong size | 2 ranks: simulated / measured | speedup at 64 | 256 | 1024 | weak efficiency at 1024 |",
            "|---|---|---|---|---|---|---|"]
    for experiment, study in studies.items():
        at = {(p["kind"], p["ranks"]): p for p in study["points"] if p["simulated"]}
        size = next(p["size"] for p in study["points"] if p["kind"] == "strong")
        speedups = [f"{at['strong', r]['speedup']:.1f}" if ("strong", r) in at else "-" for r in (64, 256, 1024)]
        weak = f"{at['weak', 1024]['efficiency']:.2f}" if ("weak", 1024) in at else "-"
        rows.append(f"| {experiment} | {size:g} | {study['calibration']['ratio']:.2f} | " + " | ".join(speedups) +
                    f" | {weak} |")
    return "\n".join(rows)


def main():
    parser = runner.Parser(prog="pictures", description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs"), help="the folder for the pictures (default docs/)")
    parser.add_argument("--only", choices=["threads", "numpy", "processes", "schedule", "timeline", "simulated"], action="append",
                        help="draw only this picture (again for more)")
    args = parser.parse_args()
    out = Path(args.out)
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        parser.error(f"--out {runner.quoted(args.out)} is not a writable folder")
    missing = [p for p in ("openmp/range_sum", "openmp/array_sum", "openmp/sleep_map", "mpi/range_sum", "hybrid/range_sum")
               if not (BUILD / p).exists()]
    if missing:
        parser.error(f"build/ lacks {', '.join(missing)}: scripts/setup builds it")
    if "simulated" in (args.only or []) and not (ROOT / "build-smpi" / "mpi" / "range_sum").exists():
        parser.error("build-smpi/ lacks the MPI programs: scripts/setup smpi builds them")
    if not shutil.which("gnuplot"):
        parser.error("gnuplot is not installed: scripts/setup installs it")
    numpy_python = runner.numpy_python()
    chosen = args.only or ["threads", "numpy", "processes", "schedule", "timeline"]
    for name, (title, sides) in pairs(sys.executable, numpy_python).items():
        if name not in chosen:
            continue
        measured = []
        for label, command, env in sides:
            m = cpu.measure(command, env=dict(os.environ, **env), stdout=subprocess.DEVNULL)
            if m.code != 0:
                print(f"pictures: error: {' '.join(command)} failed (exit code {m.code})", file=sys.stderr)
                return 1
            measured.append((label, m))
            print(f"{name:10s} {label:30s} {m.cpus_busy:.2f} CPUs busy ({m.cpu_seconds:.2f} CPU s in {m.seconds:.2f} s)")
        png = out / f"cpu-{name}.png"
        cpu.draw(measured, png, title)
        print(f"{'':10s} {png}")
    if "schedule" in chosen:
        runs = schedules()
        for name, threads, seconds, predicted, _ in runs:
            print(f"{'schedule':10s} {name + f', {threads} thread' + 's' * (threads > 1):30s} {seconds:.2f} s"
                  f" (predicted {predicted:.2f} s)")
        draw_schedule(runs, out / "schedule-sleep_map.png")
        print(f"{'':10s} {out / 'schedule-sleep_map.png'}")
    if "timeline" in chosen:
        command = [str(ROOT / "scripts" / "trace"), "--out", str(out / "timeline-hybrid"), "--"] + \
            ["env", "OMP_NUM_THREADS=2"] + runner.mpi_launch(2) + [str(BUILD / "hybrid" / "range_sum"), "8e9"]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, env=dict(os.environ, **runner.mpi_environment()))
        if done.returncode != 0:
            return done.returncode
        (out / "timeline-hybrid" / "timeline.png").replace(out / "timeline-hybrid.png")
        shutil.rmtree(out / "timeline-hybrid")
        print(f"{'timeline':10s} {out / 'timeline-hybrid.png'}")
    if "simulated" in (args.only or []):
        studies = simulated_studies()
        draw_simulated(studies, out / "simulated-scaling.png")
        print(simulated_table(studies))
        print(f"{'simulated':10s} {out / 'simulated-scaling.png'}")
    return 0


if __name__ == "__main__":
    runner.script(main)
