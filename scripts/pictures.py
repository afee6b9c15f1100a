#!/usr/bin/env python3
"""The notebooks' pictures, remade and measured: each CPU over time, as the notebook's htop
screenshots show them, for a Python run beside the C++ program that answers it, and a timeline
of a hybrid run (what each rank and thread did, and when).

    scripts/pictures [--out DIR] [--only NAME]

    threads     single-cpu.png: three Python threads sum a range (the GIL: one CPU busy), against
                OpenMP's three threads on the same sum
    numpy       multi-cpu.png: numpy's sum of np.arange, against array_sum's OpenMP threads
    processes   multi-process.png: three Python processes, against three MPI ranks
    timeline    the hybrid range sum on 2 ranks x 2 threads, from scripts/trace

Writes DIR/cpu-NAME.png (default DIR: docs/) and DIR/timeline-hybrid.png, and prints each
side's cpus_busy: the CPU seconds of the command per wall second.
"""
import os
import shutil
import subprocess
import sys
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


def main():
    parser = runner.Parser(prog="pictures", description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs"), help="the folder for the pictures (default docs/)")
    parser.add_argument("--only", choices=["threads", "numpy", "processes", "timeline"], action="append",
                        help="draw only this picture (again for more)")
    args = parser.parse_args()
    out = Path(args.out)
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        parser.error(f"--out {runner.quoted(args.out)} is not a writable folder")
    missing = [p for p in ("openmp/range_sum", "openmp/array_sum", "mpi/range_sum", "hybrid/range_sum")
               if not (BUILD / p).exists()]
    if missing:
        parser.error(f"build/ lacks {', '.join(missing)}: scripts/setup builds it")
    if not shutil.which("gnuplot"):
        parser.error("gnuplot is not installed: scripts/setup installs it")
    numpy_python = runner.numpy_python()
    chosen = args.only or ["threads", "numpy", "processes", "timeline"]
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
    if "timeline" in chosen:
        command = [str(ROOT / "scripts" / "trace"), "--out", str(out / "timeline-hybrid"), "--"] + \
            ["env", "OMP_NUM_THREADS=2"] + runner.mpi_launch(2) + [str(BUILD / "hybrid" / "range_sum"), "8e9"]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, env=dict(os.environ, **runner.mpi_environment()))
        if done.returncode != 0:
            return done.returncode
        (out / "timeline-hybrid" / "timeline.png").replace(out / "timeline-hybrid.png")
        shutil.rmtree(out / "timeline-hybrid")
        print(f"{'timeline':10s} {out / 'timeline-hybrid.png'}")
    return 0


if __name__ == "__main__":
    runner.script(main)
