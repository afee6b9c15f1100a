"""picture: a picture script writes the PNG it names, of the size it draws, and every line it
prints of a measured run agrees with its prediction (openmp/sleep_map's sleeps: a run no
shorter than predicted, and no more than 25% longer).

    picture --file schedule-sleep_map.png --size 1000x458 -- scripts/pictures --only schedule
"""
import re
import struct
import tempfile
from pathlib import Path

from checks.common import exit_status, fail, run

MEASURED = re.compile(r"(\d+\.\d+) s \(predicted (\d+\.\d+) s\)")


def add_arguments(parser):
    parser.add_argument("--file", required=True, help="the PNG the command writes in its --out folder")
    parser.add_argument("--size", required=True, help="WIDTHxHEIGHT it must have")


def check(args, command):
    with tempfile.TemporaryDirectory() as folder:
        result = run(command + ["--out", folder], timeout=600)
        if result.returncode != 0:
            fail(f"expected exit code 0, got {exit_status(result.returncode)}", result)
        png = Path(folder) / args.file
        if not png.exists():
            fail(f"no {args.file} written", result)
        data = png.read_bytes()[:24]
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            fail(f"{args.file} is not a PNG", result)
        size = "x".join(map(str, struct.unpack(">II", data[16:24])))
        if size != args.size:
            fail(f"{args.file} is {size}, drawn for {args.size}", result)
        runs = MEASURED.findall(result.stdout)
        for seconds, predicted in runs:
            if not float(predicted) * 0.99 <= float(seconds) <= float(predicted) * 1.25 + 0.02:
                fail(f"a run took {seconds} s, predicted {predicted} s", result)
        print(f"ok: {args.file} {size}, {len(runs)} measured runs within their predictions")
