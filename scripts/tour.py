#!/usr/bin/env python3
"""The tour: every experiment, in every model, at the default sizes, validated, in one table.

Each row is one run of a program from build/ with --json: its result, whether it validated,
its own timing, the speedup against one worker of the same model and mode, and, where the
notebook has one, the same computation in Python, timed now, with the C++/Python time ratio.

    scripts/tour.py [--size NAME=N] [--python-size NAME=N] [--no-python] [--only NAME]
                    [--json [FILE]] [--csv FILE]

Sizes: range_sum's n, big_power's exponent, factorial's n, sleep_map's scale in tenths (1: the
notebook's 10 s of sleeps take 1 s), map_async's in thousandths (10: six 0.1 s sleeps), refcount's increments per worker (MPI: a hundredth), gather's delay in ms,
array_sum's n, as_completed's and pool_map's count of numbers, scrape's
delay per page in ms of the local bookshop (tests/scrape/bookshop.py) it scrapes. For range_sum,
Python is timed at a smaller n (its code would take minutes) and its time scaled linearly to the C++ n, which the table marks with
~: a sum over a range is linear in its length. Powers are not linear, so big_power's Python runs
at the C++ exponent.

Run it through scripts/tour, which sets up and builds first. Exit code 0 when every run
validated, 1 otherwise.
"""
import argparse
import contextlib
import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import runner
from runner import BUILD, CORES, ROOT

TWINS = ROOT / "scripts" / "twins"


@dataclass
class Run:
    experiment: str
    model: str                  # serial, openmp, mpi, hybrid
    mode: str                   # the experiment's mode, or "-"
    workers: int
    args: list
    twin: list = None           # the notebook's Python version: script and arguments
    twin_label: str = ""        # what the Python version is, in a few words
    twin_size: int = 0          # the size Python runs at
    twin_scale: float = 1.0     # C++ size / Python size: Python's time is multiplied by it
    work: float = 1.0           # work done relative to the one-worker run (replicate: W)
    threads: int = 0            # hybrid: threads per rank (workers = ranks x threads)
    twin_python: str = ""       # the Python to run the twin with, when it needs numpy


# --- The experiments. Each later experiment adds a function here and a line in EXPERIMENTS. ---

def range_sum_runs(size, python_size):
    """Notebook 000, Acts 2 and 3: sum(range(0, size)) % 23 by threads, then processes."""
    n, scale = str(size), size / python_size
    twin = lambda model, mode, w: [str(TWINS / "range_sum.py"), str(python_size), "--model", model, "--mode", mode,
                                   "--workers", str(w)]
    runs = [Run("range_sum", "serial", "-", 1, [n], twin("serial", "replicate", 1), "sum(range(n))",
                twin_size=python_size, twin_scale=scale)]
    runs += hybrid_runs("range_sum", [n, "--mode", "split"], "split")
    for model, python_model, replicate_twin, split_twin in (("openmp", "threads", 3, 2), ("mpi", "processes", 3, 2)):
        for w in (1, 2, 3):
            runs.append(Run("range_sum", model, "replicate", w, [n, "--mode", "replicate"], work=w,
                            twin=twin(python_model, "replicate", w) if w == replicate_twin else None,
                            twin_label=f"{w} {python_model}, each the whole sum", twin_size=python_size, twin_scale=scale))
        for w in (1, 2):
            runs.append(Run("range_sum", model, "split", w, [n, "--mode", "split"],
                            twin=twin(python_model, "split", w) if w == split_twin else None,
                            twin_label=f"{w} {python_model}, range split", twin_size=python_size, twin_scale=scale))
    return runs


def hybrid_runs(experiment, args, mode):
    """1 x 1, 2 ranks x 1 thread and 1 rank x 2 threads: the two ways to use two cores."""
    return [Run(experiment, "hybrid", mode, w, args, threads=t) for w, t in ((1, 1), (2, 1), (2, 2))]


def range_sum_summary(report):
    return f"sum%23={report['mod23']}"


def big_power_runs(exponent, python_exponent):
    """Notebook 001, "Utilizando multiprocess": x**10000000 for x in 1..6, map and then pool.map."""
    e = str(exponent)
    twin = lambda w: [str(TWINS / "big_power.py"), "--exponent", e, "--bases", "1..6", "--workers", str(w)]
    runs = []
    for model in ("openmp", "mpi"):
        for w in (1, 2):
            label = "list(map(lambda x: x**e, 1..6))" if w == 1 else f"Pool({w}).map over 1..6"
            runs.append(Run("big_power", model, "-", w, ["--exponent", e, "--bases", "1..6"],
                            twin=twin(w) if model == "openmp" else None, twin_label=label))
    return runs + hybrid_runs("big_power", ["--exponent", e, "--bases", "1..6"], "-")


def factorial_runs(n, python_n):
    """Notebook 001, "Nem todos os loops podem ser paralelos": fatorial *= x, as a reduction."""
    runs = []
    for model in ("openmp", "mpi"):
        for w in (1, 2):
            twin = [str(TWINS / "factorial.py"), str(n)] if (model, w) == ("openmp", 1) else None
            runs.append(Run("factorial", model, "-", w, [str(n)], twin=twin, twin_label="for x in 1..n: fatorial *= x"))
    return runs


def factorial_summary(report):
    return f"{report['digits']} digits, {report['trailing_zeros']} zeros"


def sleep_map_runs(tenths, _):
    """Notebook 001: dormir(x) for [1, 2, 3, 4], 10 s in series, 4 s with a Pool."""
    scale = str(tenths / 10)
    twin = lambda w: [str(TWINS / "sleep_map.py"), "--scale", scale, "--workers", str(w)]
    runs = []
    for model, counts in (("openmp", (1, 2, 4)), ("mpi", (1, 2, 4))):
        for w in counts:
            python = model == "openmp" and w in (1, 2)
            runs.append(Run("sleep_map", model, "longest-first", w, ["--scale", scale, "--schedule", "longest-first"],
                            twin=twin(w) if python else None,
                            twin_label="for x in my_list: dormir(x)" if w == 1 else f"Pool({w}).map(dormir, my_list)"))
    return runs


def sleep_map_summary(report):
    return f"{report['seconds']:.2f} s of {report['serial_seconds']:.2f} s"


def map_async_runs(tenths, _):
    """Notebook 001, "Códigos Assíncronos": map_async, unrelated work, ready(), wait(), get()."""
    scale = str(tenths / 1000)
    # The last item is longer, so that some rank finishes early and rank 0 has something to wait for.
    args = ["--scale", scale, "--items", "10,10,10,10,10,30"]
    return [Run("map_async", model, "-", w, args) for model in ("openmp", "mpi") for w in (1, 2, 4)]


def map_async_summary(report):
    return f"{report['units']} units while waiting" if report["not_ready_polls"] else "no wait"


def refcount_runs(increments, _):
    """Notebook 000, Part 0: a shared reference count, raced and synchronised."""
    args = ["--increments", str(increments)]  # per worker: W workers count W times as much (work=w)
    return ([Run("refcount", "openmp", "all", w, args, work=w) for w in (1, 2, 4)]
            + [Run("refcount", "mpi", "all", w, ["--increments", str(max(1, increments // 100))], work=w)
               for w in (1, 2, 4)])


def refcount_summary(report):
    v = report["variants"]
    if "unsynchronised" in v:
        return (f"race lost {v['unsynchronised']['lost']}; ns: atomic {v['atomic']['ns_per_increment']:.0f}, "
                f"lock {v['lock']['ns_per_increment']:.0f}, reduction {v['reduction']['ns_per_increment']:.1f}")
    return (f"ns: fetch_and_op {v['fetch_and_op']['ns_per_increment']:.0f}, accumulate "
            f"{v['accumulate']['ns_per_increment']:.0f}, reduce {v['reduce']['ns_per_increment']:.1f}")


def gather_runs(milliseconds, _):
    """Notebook 000, Act 1: asyncio.gather(a(), b()), each waiting `milliseconds`."""
    args = ["--delay", str(milliseconds / 1000)]
    return ([Run("gather", "openmp", "all", w, args) for w in (1, 2)]
            + [Run("gather", "mpi", "-", w, args) for w in (1, 3)])


def gather_summary(report):
    if report["model"] == "openmp":
        return ", ".join(f"{m} {r['seconds']:.2f} s" for m, r in report["modes"].items())
    return (f"{' '.join(report['lines'])}; {report['units_while_waiting']} units while waiting; "
            f"unpolled wait {report['wait_without_progress'] * 1e3:.1f} ms")


def squares_runs(experiment, count, python_count, label, args=()):
    numpy = runner.numpy_python()
    runs = []
    for model, counts in (("openmp", (1, 2, 3)), ("mpi", (1, 2, 4))):
        for w in counts:
            python = model == "openmp" and w in (1, 3) and numpy
            runs.append(Run(experiment, model, "-", w, ["--count", str(count)] + list(args),
                            twin=[str(TWINS / "squares.py"), experiment, str(python_count), "--workers", str(w)]
                            if python else None, twin_python=numpy, twin_label=label.format(w=w),
                            twin_size=python_count, twin_scale=count / python_count))
    return runs


def as_completed_runs(count, _):
    """Notebook 000, "Dicas práticas": executor.submit + as_completed, with uneven work (so no
    Python twin: the notebook's f takes no time)."""
    return [Run(r.experiment, r.model, r.mode, r.workers, r.args)
            for r in squares_runs("as_completed", count, count, "", ["--delay", "0.05"])]


def as_completed_summary(report):
    order = [c["index"] for c in report["completed"]]
    return f"order {','.join(map(str, order[:10]))}{'...' if len(order) > 10 else ''}"


def pool_map_runs(count, python_count):
    """Notebook 000, Act 3: Pool(cpu_count()).map(f, X), and np.power(X, 2) with Eigen."""
    return squares_runs("pool_map", count, python_count, "Pool({w}).map(np.power(x, 2), X)", ["--max", "4294967296"])


def pool_map_summary(report):
    return ", ".join(f"{name} {v['items_per_second'] / 1e6:.0f} M/s" for name, v in report["variants"].items())


def array_sum_runs(n, python_n):
    """Notebook 000, Act 2, "Módulos externos": np.mod(np.sum(np.arange(0, size)), 23), with an
    Eigen array (materialized) and an Eigen expression (lazy)."""
    numpy = runner.numpy_python()
    twin = [str(TWINS / "array_sum.py"), str(python_n)]
    runs = []
    for model, counts in (("openmp", (1, 2)), ("mpi", (1, 2, 4))):
        for variant in ("materialized", "lazy"):
            for w in counts:
                python = model == "openmp" and w == 1 and variant == "materialized"
                runs.append(Run("array_sum", model, variant, w, [str(n), "--variant", variant],
                                twin=twin if python else None, twin_python=numpy, twin_size=python_n,
                                twin_label="np.mod(np.sum(np.arange(0, n)), 23)"))
    return runs


def array_sum_summary(report):
    variant = next(iter(report["variants"].values()))
    return f"sum%23={variant['mod23']}, peak {report['peak_memory'] / 2**20:.0f} MiB"


def scrape_runs(latency_ms, _):
    """Notebook 001's appendix: 50 catalogue pages, from the local bookshop with latency_ms of
    delay a page (the tests' stand-in for books.toscrape.com): a loop, threads, the multi
    interface's one thread with many transfers, and MPI ranks. Threads beyond the cores still
    pay: they wait, they do not compute."""
    def args(name, extra):
        return ["--url", BOOKSHOP["url"], "--out", str(BUILD / "tour-scrape" / name)] + extra
    runs = [Run("scrape", "openmp", "threads", w, args(f"threads-{w}", ["--mode", "threads"])) for w in (1, 2, 8)]
    runs += [Run("scrape", "openmp", "multi", w, args(f"multi-{w}", ["--mode", "multi", "--concurrency", str(w)]))
             for w in (1, 8, 50)]
    runs += [Run("scrape", "mpi", "-", w, args(f"mpi-{w}", [])) for w in (1, 2, 8)]
    return runs


def scrape_summary(report):
    return f"{report['saved']}/{report['pages']} pages, {report['rows']} rows"


def big_power_summary(report):
    largest = max(report["results"], key=lambda r: r["digits"])
    return f"{largest['base']}^e: {largest['digits']} digits"


EXPERIMENTS = {
    # name: (runs(size, python_size), one-line result, default size, default Python size)
    "range_sum": (range_sum_runs, range_sum_summary, 10**9, 5 * 10**7),
    "big_power": (big_power_runs, big_power_summary, 3 * 10**6, 3 * 10**6),
    "factorial": (factorial_runs, factorial_summary, 10**5, 10**5),
    "sleep_map": (sleep_map_runs, sleep_map_summary, 1, 1),
    "map_async": (map_async_runs, map_async_summary, 10, 10),
    "refcount": (refcount_runs, refcount_summary, 10**6, 10**6),
    "gather": (gather_runs, gather_summary, 100, 100),
    "array_sum": (array_sum_runs, array_sum_summary, 3 * 10**8, 3 * 10**8),
    "as_completed": (as_completed_runs, as_completed_summary, 10, 10),
    "pool_map": (pool_map_runs, pool_map_summary, 10**7, 2 * 10**5),
    "scrape": (scrape_runs, scrape_summary, 100, 100),
}

BOOKSHOP = {}  # scrape's local server while the tour runs: {"url": the --url template}


# --- Running ---

def scaling_sweep():
    """A small strong and weak sweep of hybrid range_sum, drawn as PNG plots."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts/scaling.py"), "--ranks", "1,2", "--threads", "1,2",
                           "--repetitions", "1", "--strong", "2000000000", "--weak", "500000000", "--json"],
                          capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"error": done.stderr.strip()[-300:]}


def run_program(run):
    if run.model == "hybrid":
        ranks, threads = run.workers // run.threads, run.threads
    else:
        ranks, threads = (run.workers, 1) if run.model == "mpi" else (1, run.workers)
    try:
        return runner.run(run.model, run.experiment, run.args, ranks=ranks, threads=threads, timeout=600)
    except (OSError, subprocess.TimeoutExpired, RuntimeError) as e:
        return {"valid": False, "error": str(e)}


def run_twin(run):
    try:
        if run.twin_python is None:
            return None  # it needs numpy, and no Python here has it
        done = subprocess.run([run.twin_python or sys.executable] + run.twin, capture_output=True, text=True, timeout=600)
        return json.loads(done.stdout)["seconds"] * run.twin_scale
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError):
        return None


def sized(text, parser):
    name, _, value = text.partition("=")
    if name not in EXPERIMENTS or not value.isdigit() or int(value) <= 0:
        parser.error(f"'{text}': expected NAME=N with NAME one of {', '.join(EXPERIMENTS)} and N a positive integer")
    return name, int(value)


def ratio_text(cpp, python):
    if not cpp or not python:
        return ""
    return f"1/{python / cpp:.0f}" if python >= 10 * cpp else f"{cpp / python:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", action="append", default=[], metavar="NAME=N", help="an experiment's size")
    parser.add_argument("--python-size", action="append", default=[], metavar="NAME=N",
                        help="the size an experiment's Python version runs at")
    parser.add_argument("--no-python", action="store_true", help="skip the Python versions")
    parser.add_argument("--only", choices=sorted(EXPERIMENTS), action="append", help="run only these experiments")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the table as JSON (- for stdout)")
    parser.add_argument("--csv", metavar="FILE", help="write the table as CSV")
    parser.add_argument("--no-scaling", action="store_true", help="skip the small scaling sweep and its plots")
    args = parser.parse_args()
    sizes, python_sizes = (dict(sized(text, parser) for text in texts) for texts in (args.size, args.python_size))

    if not BUILD.exists():
        sys.exit("tour: no build/ folder: run scripts/tour (it builds first) or scripts/setup")
    quiet = args.json == "-"
    progress = not quiet and sys.stderr.isatty()
    rows = []
    stack = contextlib.ExitStack()
    if "scrape" in (args.only or EXPERIMENTS):
        BOOKSHOP["url"] = stack.enter_context(
            runner.local_bookshop(BUILD / "tour-bookshop", sizes.get("scrape", EXPERIMENTS["scrape"][2])))
    for name in args.only or EXPERIMENTS:
        make_runs, summary, default_size, default_python_size = EXPERIMENTS[name]
        size = sizes.get(name, default_size)
        for run in make_runs(size, min(size, python_sizes.get(name, default_python_size))):
            if progress:
                print(f"  running {run.experiment} {run.model} {run.mode} x{run.workers} ...", end="\r", file=sys.stderr, flush=True)
            report = run_program(run)
            python = run_twin(run) if run.twin and not args.no_python else None
            rows.append((run, report, summary(report) if report.get("valid") is not None and "error" not in report else report.get("error", "?"), python))
    stack.close()
    scaling = None if args.no_scaling or args.only else scaling_sweep()

    table = []
    for run, report, result, python in rows:
        base = next((r for r, rep, _, _ in rows if (r.experiment, r.model, r.mode) == (run.experiment, run.model, run.mode)
                     and r.workers == 1), None)
        base_seconds = next((rep.get("seconds") for r, rep, _, _ in rows if r is base), None)
        seconds = report.get("seconds")
        speedup = base_seconds * run.work / seconds if base_seconds and seconds else None
        table.append({
            "experiment": run.experiment, "model": run.model, "mode": run.mode, "workers": run.workers,
            "ranks_x_threads": f"{run.workers // run.threads}x{run.threads}" if run.model == "hybrid" else "",
            "oversubscribed": run.workers > CORES, "result": result, "valid": bool(report.get("valid")),
            "seconds": seconds, "speedup": speedup, "python_seconds": python,
            "python_equivalent": run.twin_label if python else "",
            "python_scaled_from": run.twin_size if python and run.twin_scale != 1 else None,
            "cpp_over_python": seconds / python if python and seconds else None,
        })

    if args.json:
        text = json.dumps({"cores": CORES, "rows": table, "scaling": scaling}, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    if not quiet:
        if progress:
            print(" " * 60, end="\r", file=sys.stderr)
        headers = ["experiment", "model", "mode", "workers", "result", "valid", "seconds", "speedup", "python (the notebook's code)", "C++/Python"]
        lines = [[t["experiment"], t["model"], t["mode"],
                  f"{t['workers']}{'*' if t['oversubscribed'] else ''}"
                  + (f" ({t['ranks_x_threads']})" if t["ranks_x_threads"] else ""), t["result"],
                  "yes" if t["valid"] else "NO", f"{t['seconds']:.4f}" if t["seconds"] is not None else "-",
                  f"{t['speedup']:.2f}" if t["speedup"] else "-",
                  f"{t['python_seconds']:.2f} s{'~' if t['python_scaled_from'] else ''}  {t['python_equivalent']}"
                  if t["python_seconds"] else "",
                  ratio_text(t["seconds"], t["python_seconds"])] for t in table]
        widths = [max(len(str(x)) for x in column) for column in zip(headers, *lines)]
        for line in [headers] + lines:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
        print(f"\nspeedup: work per second against 1 worker of the same model and mode (replicate: W workers do W sums,"
              f"\n         so flat wall time is a speedup of W). * more workers than this machine's {CORES} cores.")
        print("seconds: the program's own timing (MPI: the slowest rank, launch excluded).")
        if any(t["experiment"] == "scrape" for t in table):
            print("scrape:  multi's workers are transfers in flight, all on one thread.")
        scaled = sorted({t["python_scaled_from"] for t in table if t["python_scaled_from"]})
        if scaled:
            print(f"python:  ~ timed at n = {', '.join(f'{s:.0e}'.replace('e+0', 'e').replace('e+', 'e') for s in scaled)} and scaled linearly to the C++ size.")
        if scaling and "error" in scaling:
            print(f"\nscaling sweep failed: {scaling['error']}")
        elif scaling:
            f = scaling["serial_fraction"]
            print(f"\nscaling (hybrid range_sum, 1-2 ranks x 1-2 threads): Amdahl serial fraction "
                  f"{'-' if f is None else f'{f:.3f}'}; plots: {', '.join(scaling['pngs']) or 'none (no gnuplot)'}")
    scaling_ok = scaling is None or "error" not in scaling
    return 0 if all(t["valid"] for t in table) and scaling_ok else 1


if __name__ == "__main__":
    sys.exit(main())
