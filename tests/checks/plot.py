"""plot: the scaling script's fit finds the serial fraction its CSV was made from, and its PNG
files are images."""
import json

from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)


def add_arguments(parser):
    parser.add_argument("--fraction", type=float, required=True, help="the serial fraction the CSV was made from")


def check(args, command):
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
