"""gather: the notebook's a, ba, ca, xi, ! in every mode or run; the waits really waited; (--waits)
rank 0 worked while waiting; (--progress) the unpolled message waited for MPI calls."""
from checks.common import *  # noqa: F401,F403  (run, fail, expect, ...)

NOTEBOOK_GATHER = ["a", "ba", "ca", "xi", "!"]


def add_arguments(parser):
    parser.add_argument("--scale", type=float, default=0.1, help="the delay each coroutine waits")
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--human", action="store_true")
    parser.add_argument("--waits", action="store_true", help="rank 0 must work while waiting")
    parser.add_argument("--progress", action="store_true", help="the unpolled message must wait")
    parser.add_argument("--overlaps", action="store_true",
                        help="the lesson: overlapped waits take well under their sum (under 1.5 delays)")


def check(args, command):
    """The notebook's lines a, ba, ca, xi, ! in every mode (OpenMP) or run (MPI); the waits
    really waited (no run shorter than one delay); with --overlap, rank 0 worked while waiting;
    with --progress, the large message waited for MPI calls (its MPI_Wait was the longer)."""
    if args.human:
        result = run(command)
        lines = [line for line in result.stdout.splitlines() if line in NOTEBOOK_GATHER]
        want = NOTEBOOK_GATHER * (len(lines) // 5)
        if result.returncode != 0 or not lines or lines != want:
            fail(f"printed {lines}, expected repetitions of {NOTEBOOK_GATHER}", result)
        print(f"ok: {len(lines) // 5} runs printing a ba ca xi !")
        return
    result, report = run_json(command)
    expect(report, {"experiment": "gather", "workers": args.workers, "delay": args.scale, "valid": True}, result)
    if report["model"] == "openmp":
        for mode, run_ in report["modes"].items():
            if run_["lines"] != NOTEBOOK_GATHER:
                fail(f"{mode} printed {run_['lines']}", result)
            overlap = mode != "depend" and args.workers >= 2
            predicted = args.scale * (1 if overlap else 2)
            if run_["predicted_seconds"] != predicted or run_["seconds"] < 0.95 * predicted:
                fail(f"{mode}: {run_['seconds']} s against {predicted} s predicted here", result)
            if args.overlaps and overlap and run_["seconds"] >= 1.5 * args.scale:
                fail(f"{mode}: {run_['seconds']} s, the two waits of {args.scale} s did not overlap", result)
        print(f"ok: {', '.join(report['modes'])} print a ba ca xi !, waits overlapped at {args.workers} threads")
        return
    if report["lines"] != NOTEBOOK_GATHER:
        fail(f"printed {report['lines']}", result)
    if report["seconds"] < 0.95 * args.scale * (2 if args.workers == 1 else 1):
        fail(f"gather took {report['seconds']} s, less than its waits", result)
    if args.overlaps and args.workers > 1 and report["seconds"] >= 1.5 * args.scale:
        fail(f"gather took {report['seconds']} s, the two waits of {args.scale} s did not overlap", result)
    if args.waits and report["units_while_waiting"] == 0:
        fail("rank 0 did no work while the futures were pending", result)
    if args.progress and not report["wait_without_progress"] > report["wait_with_progress"]:
        fail("the large message did not wait for MPI calls", result)
    print(f"ok: a ba ca xi ! on {args.workers} ranks, {report['units_while_waiting']} units while waiting, "
          f"waits {report['wait_without_progress'] * 1e3:.2f} ms without progress, "
          f"{report['wait_with_progress'] * 1e3:.3f} ms with")
