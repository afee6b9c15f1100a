#!/usr/bin/env python3
"""scrape benchmark: the figures of the scraping issue, side by side in one run, as ratios.

The local bookshop (tests/scrape/bookshop.py) serves the 50 catalogue pages on 127.0.0.1 with
--latency ms of delay per page, like a distant server. Then:
  1. 8 OpenMP threads against 1 thread, on this machine's cores (target >= 5x with 100 ms:
     waiting needs no core)
  2. libcurl's multi interface, one thread with 8 transfers in flight, against 8 threads
     (target >= 1x: as fast, with one thread), and with all 50 in flight
  3. MPI: 8 ranks against 1 rank (the program's own time, launch excluded)

Uses build/. Repetitions are interleaved; medians are kept.
Run:  bench/scrape.py [--latency MS] [--repetitions R] [--json FILE]
"""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402  where the build is, how to launch MPI, the bookshop


def main():
    parser = runner.bench_parser(__doc__)
    parser.add_argument("--latency", type=runner.whole_number(0, 10000), default=100, help="milliseconds of delay per page")
    args = parser.parse_args()

    configurations = {  # name: (model, extra arguments, ranks, threads)
        "1 thread": ("openmp", ["--mode", "threads"], 1, 1),
        "8 threads": ("openmp", ["--mode", "threads"], 1, 8),
        "multi, 8 in flight": ("openmp", ["--mode", "multi", "--concurrency", "8"], 1, 1),
        "multi, 50 in flight": ("openmp", ["--mode", "multi", "--concurrency", "50"], 1, 1),
        "1 rank": ("mpi", [], 1, 1),
        "8 ranks": ("mpi", [], 8, 1),
    }
    with tempfile.TemporaryDirectory() as scratch, runner.local_bookshop(Path(scratch) / "shop", args.latency) as url:
        print(f"== 50 pages, {args.latency} ms a page, {runner.CORES} cores; {args.repetitions} interleaved repetitions")

        def scrape(name, model, extra, ranks, threads):
            out = Path(tempfile.mkdtemp(dir=scratch, prefix=name.replace(" ", "_").replace(",", "")))
            report = runner.validated(model, "scrape", ["--url", url, "--out", str(out)] + extra, ranks=ranks,
                                      threads=threads)
            if report["rows"] != 1000:
                sys.exit(f"bench: scrape {name} saved {report['rows']} rows, not 1000")
            return report

        samples = runner.interleave({name: (lambda name=name, c=c: scrape(name, *c)) for name, c in configurations.items()},
                                    args.repetitions)
    median = {name: runner.median(reports) for name, reports in samples.items()}

    def ratio(slow, fast):
        return median[slow] / median[fast]

    detail = lambda *names: ", ".join(f"{n} {median[n]:.3f} s" for n in names)
    figures = [
        ("8 threads vs 1 thread", ratio("1 thread", "8 threads"), ">= 5", ratio("1 thread", "8 threads") >= 5,
         detail("1 thread", "8 threads")),
        ("multi (8 in flight, 1 thread) vs 8 threads", ratio("8 threads", "multi, 8 in flight"), ">= 1",
         ratio("8 threads", "multi, 8 in flight") >= 0.97, detail("multi, 8 in flight")),
        ("multi (50 in flight) vs 8 threads", ratio("8 threads", "multi, 50 in flight"), "-", None,
         detail("multi, 50 in flight")),
        ("8 MPI ranks vs 1 rank", ratio("1 rank", "8 ranks"), "-", None, detail("1 rank", "8 ranks")),
    ]
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
