"""meter: scripts/cpu on a command: the CPUs it kept busy (its CPU seconds per wall second, from
the kernel's count for it and every process it waited for) within a bound, sampled at 20 Hz or
more, and a PNG of the size drawn. The notebook's pictures in figures: Python's threads keep
about one CPU busy whatever their number (the GIL), OpenMP's threads and MPI's ranks keep them all.

    meter --at-most 1.25 -- python3 scripts/twins/range_sum.py 30000000 --model threads --workers 3
    meter --at-least 1.6 -- env OMP_NUM_THREADS=2 build/openmp/range_sum 3e10
"""
import json
import struct
import tempfile
from pathlib import Path

from checks.common import exit_status, fail, run, with_bookshop

CPU = Path(__file__).resolve().parents[2] / "scripts" / "cpu"


def add_arguments(parser):
    parser.add_argument("--at-most", type=float, help="cpus_busy must not exceed this")
    parser.add_argument("--at-least", type=float, help="cpus_busy must reach this")
    parser.add_argument("--bookshop", help="the folder of the bookshop whose URL replaces {bookshop} in COMMAND")


def check(args, command):
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "cpu.png"
        result = run([str(CPU), "--json", "--png", str(png), "--"] + with_bookshop(command, args.bookshop), timeout=600)
        if result.returncode != 0:
            fail(f"scripts/cpu: expected exit code 0, got {exit_status(result.returncode)}", result)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError as e:
            fail(f"stdout is not one JSON object: {e}", result)
        busy, seconds, samples = report["cpus_busy"], report["seconds"], report["samples"]
        # Each figure is rounded in the report (seconds to 0.1 ms, cpus_busy to 0.001): so far may they disagree.
        if abs(busy - report["cpu_seconds"] / seconds) > 0.001 + 5e-5 * (1 + busy) / seconds:
            fail(f"cpus_busy {busy} is not cpu_seconds / seconds ({report['cpu_seconds']} / {seconds})")
        if len(samples) < int(20 * seconds * 0.8):  # a run of 60 ms may end before its first sample
            fail(f"{len(samples)} samples in {seconds:.2f} s: fewer than 20 a second")
        measured = f"{report['cpu_seconds']:.2f} CPU s in {seconds:.2f} s: {result.stderr.strip()[-300:]}"
        if args.at_most is not None and busy > args.at_most:
            fail(f"{busy:.2f} CPUs busy, at most {args.at_most} expected ({measured})")
        if args.at_least is not None and busy < args.at_least:
            fail(f"{busy:.2f} CPUs busy, at least {args.at_least} expected ({measured})")
        data = png.read_bytes()[:24]
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            fail("the picture is not a PNG")
        cpus = report["cpus"]
        width, height = struct.unpack(">II", data[16:24])
        if (width, height) != (1000, 170 * (cpus + 1) + 80):
            fail(f"the picture is {width}x{height}, drawn for 1000x{170 * (cpus + 1) + 80}")
        print(f"ok: {busy:.2f} CPUs busy ({report['cpu_seconds']:.2f} CPU s in {seconds:.2f} s, {len(samples)} samples), "
              f"picture {width}x{height}")
