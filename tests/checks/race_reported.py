"""race_reported: the program, run under ThreadSanitizer and Archer, must be reported for a data
race in SOURCE (the report's stack names the file), and exit with ThreadSanitizer's exit code
(66): the proof that the race-detection build sees races, so its zero reports elsewhere mean
something."""
from checks.common import fail, run


def add_arguments(parser):
    parser.add_argument("--source", required=True, help="the file the race is in")
    parser.add_argument("--attempts", type=int, default=1,
                        help="runs allowed before a report must have come (a report that needs the "
                             "scheduler's help: a second thread that really ran some of the tasks)")


def check(args, command):
    for attempt in range(1, args.attempts + 1):
        result = run(command, timeout=120)
        reports = result.stderr.count("WARNING: ThreadSanitizer: data race")
        if reports and args.source in result.stderr:
            break
    else:
        fail(f"no data race reported in {args.source} in {args.attempts} run(s): the race detector sees nothing",
             result)
    if result.returncode != 66:
        fail(f"exit code {result.returncode}, expected ThreadSanitizer's 66", result)
    print(f"ok: {reports} data race report(s) in {args.source}, exit 66 (run {attempt} of at most {args.attempts})")
