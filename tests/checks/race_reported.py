"""race_reported: the program, run under ThreadSanitizer and Archer, must be reported for a data
race in SOURCE (the report's stack names the file), and exit with ThreadSanitizer's exit code
(66): the proof that the race-detection build sees races, so its zero reports elsewhere mean
something."""
from checks.common import fail, run


def add_arguments(parser):
    parser.add_argument("--source", required=True, help="the file the race is in")


def check(args, command):
    result = run(command, timeout=120)
    reports = result.stderr.count("WARNING: ThreadSanitizer: data race")
    if reports == 0 or args.source not in result.stderr:
        fail(f"no data race reported in {args.source}: the race detector sees nothing", result)
    if result.returncode != 66:
        fail(f"exit code {result.returncode}, expected ThreadSanitizer's 66", result)
    print(f"ok: {reports} data race report(s) in {args.source}, exit 66")
