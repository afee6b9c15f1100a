#!/usr/bin/env python3
"""The tour: every experiment, in every model, validated, in one table of honest numbers.

Each configuration runs once untimed (first touches of memory, the MPI launcher's caches), then
its repetitions run interleaved with the other configurations of the same experiment, so that
a slow minute on a shared machine falls on all of them alike. A row gives the median of the
program's own seconds and the spread of the repetitions, (max - min) / median; the speedup
against one worker of the same model and mode, from the medians; and, where the notebook has
one, the same computation in Python, timed once now, with the C++/Python time ratio. A speedup
above the worker count, or one whose difference from 1 is smaller than the spreads, is marked
and not printed as a result. Experiments whose time is made of waits (sleeps, a server's
latency) repeat twice, without the untimed run: nothing in a sleep warms up.

    scripts/tour.py [--size NAME=N] [--python-size NAME=N] [--no-python] [--only NAME]
                    [--repetitions R] [--json [FILE]] [--csv FILE] [--no-scaling]

Sizes: range_sum's n, big_power's exponent, factorial's n, sleep_map's scale in tenths (1: the
notebook's 10 s of sleeps take 1 s), map_async's in thousandths (5: sleeps of 0.05 s, and one of 0.15),
refcount's increments per worker (MPI: a hundredth), gather's delay in ms, array_sum's n (the
lazy variant sums 25 times as many values: it is that much faster), as_completed's and
pool_map's count of numbers, scrape's delay per page in ms of the local bookshop
(tests/scrape/bookshop.py) it scrapes. The defaults give every timed region about 0.1 to 0.3 s
on one worker. For range_sum and the squares, Python is timed at a smaller n (its code would
take minutes) and its time scaled linearly to the C++ n, which the table marks with ~; powers
and factorials are not linear, so big_power and factorial have one row more, at the Python
size, where Python runs.

Run it through scripts/tour, which sets up and builds first (after reading the arguments). Exit
code 0 when every run validated, 1 otherwise.
"""
import argparse
import contextlib
import csv
import io
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

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
    speedup: bool = True        # False where the time is not work shared (refcount: contention)
    cpp_for_python: object = None  # report -> the C++ seconds Python's are compared with


# --- The experiments. Each later experiment adds a function here and a line in EXPERIMENTS. ---

def range_sum_runs(size, python_size):
    """Notebook 000, Acts 2 and 3: sum(range(0, size)) % 23 by threads, then processes. Replicate
    at 1 worker is split at 1 worker; at 3 it is the notebook's three threads or processes."""
    n, scale = str(size), size / python_size
    twin = lambda model, mode, w: [str(TWINS / "range_sum.py"), str(python_size), "--model", model, "--mode", mode,
                                   "--workers", str(w)]
    runs = [Run("range_sum", "serial", "-", 1, [n], twin("serial", "replicate", 1), "sum(range(n))",
                twin_size=python_size, twin_scale=scale)]
    runs += hybrid_runs("range_sum", [n, "--mode", "split"], "split")
    for model, python_model in (("openmp", "threads"), ("mpi", "processes")):
        for w in (1, 3):
            runs.append(Run("range_sum", model, "replicate", w, [n, "--mode", "replicate"], work=w,
                            twin=twin(python_model, "replicate", w) if w == 3 else None,
                            twin_label=f"{w} {python_model}, each the whole sum", twin_size=python_size, twin_scale=scale))
        for w in (1, 2):
            runs.append(Run("range_sum", model, "split", w, [n, "--mode", "split"],
                            twin=twin(python_model, "split", w) if w == 2 else None,
                            twin_label=f"{w} {python_model}, range split", twin_size=python_size, twin_scale=scale))
    return runs


def hybrid_runs(experiment, args, mode):
    """1 x 1, 2 ranks x 1 thread and 1 rank x 2 threads: the two ways to use two cores."""
    return [Run(experiment, "hybrid", mode, w, args, threads=t) for w, t in ((1, 1), (2, 1), (2, 2))]


def range_sum_summary(report):
    return f"sum%23={report['mod23']}"


def big_power_runs(exponent, python_exponent):
    """Notebook 001, "Utilizando multiprocess": x**10000000 for x in 1..6, map and then pool.map.
    Python's powers take seconds: it runs at its own exponent, beside one C++ row there."""
    program = lambda e: ["--exponent", str(e), "--bases", "1..6"]
    runs = [Run("big_power", model, "-", w, program(exponent)) for model in ("openmp", "mpi") for w in (1, 2)]
    runs += hybrid_runs("big_power", program(exponent), "-")
    runs.append(Run("big_power", "openmp", f"e={python_exponent:.0e}".replace("e+0", "e"), 1, program(python_exponent),
                    twin=[str(TWINS / "big_power.py"), "--exponent", str(python_exponent), "--bases", "1..6",
                          "--workers", "1"], twin_label="list(map(lambda x: x**e, 1..6))"))
    return runs


def factorial_runs(n, python_n):
    """Notebook 001, "Nem todos os loops podem ser paralelos": fatorial *= x, as a reduction.
    Python's loop is quadratic: it runs at its own n, beside one C++ row there."""
    runs = [Run("factorial", model, "-", w, [str(n)]) for model in ("openmp", "mpi") for w in (1, 2)]
    runs.append(Run("factorial", "openmp", f"n={python_n:.0e}".replace("e+0", "e"), 1, [str(python_n)],
                    twin=[str(TWINS / "factorial.py"), str(python_n)], twin_label="for x in 1..n: fatorial *= x"))
    return runs


def factorial_summary(report):
    return (f"{report['digits']} digits; {report['gmp_seconds'] / report['seconds']:.2f}x mpz_fac_ui, "
            f"last product {report['last_seconds'] / report['seconds']:.0%}")


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


def map_async_runs(thousandths, _):
    """Notebook 001, "Códigos Assíncronos": map_async, unrelated work, ready(), wait(), get()."""
    scale = str(thousandths / 1000)
    # The last item is longer, so that some worker finishes early and the caller has something to wait for.
    args = ["--scale", scale, "--items", "10,10,10,10,10,30"]
    return [Run("map_async", model, "-", w, args) for model in ("openmp", "mpi") for w in (1, 2, 4)]


def map_async_summary(report):
    return f"{report['units']} units while waiting" if report["not_ready_polls"] else "no wait"


def refcount_runs(increments, _):
    """Notebook 000, Part 0: a shared reference count, raced and synchronised. No speedup: the
    lesson is what each increment costs, and more workers only contend more."""
    return ([Run("refcount", "openmp", "all", w, ["--increments", str(increments)], speedup=False) for w in (1, 2)]
            + [Run("refcount", "mpi", "all", w, ["--increments", str(max(1, increments // 100))], speedup=False)
               for w in (1, 2)])


def refcount_summary(report):
    v = report["variants"]
    if "unsynchronised" in v:
        return (f"race lost {v['unsynchronised']['lost'] / v['unsynchronised']['expected']:.0%}; ns: atomic "
                f"{v['atomic']['ns_per_increment']:.0f}, lock {v['lock']['ns_per_increment']:.0f}, "
                f"reduction {v['reduction']['ns_per_increment']:.1f}")
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


def as_completed_runs(count, _):
    """Notebook 000, "Dicas práticas": executor.submit + as_completed, with uneven work (the
    programs' default; so no Python twin: the notebook's f takes no time)."""
    return [Run("as_completed", model, "-", w, ["--count", str(count)])
            for model, counts in (("openmp", (1, 2, 3)), ("mpi", (1, 2, 4))) for w in counts]


def as_completed_summary(report):
    order = [c["index"] for c in report["completed"]]
    return f"order {','.join(map(str, order[:10]))}{'...' if len(order) > 10 else ''}"


def pool_map_runs(count, python_count):
    """Notebook 000, Act 3: Pool(cpu_count()).map(f, X), and np.power(X, 2) with Eigen."""
    numpy = runner.numpy_python()
    runs = []
    for model in ("openmp", "mpi"):
        for w in (1, 2):
            python = model == "openmp" and numpy
            runs.append(Run("pool_map", model, "-", w, ["--count", str(count), "--max", "4294967296"],
                            twin=[str(TWINS / "squares.py"), "pool_map", str(python_count), "--workers", str(w)]
                            if python else None, twin_python=numpy,
                            twin_label=f"Pool({w}).map(np.power(x, 2), X)",
                            twin_size=python_count, twin_scale=count / python_count))
    return runs


def pool_map_summary(report):
    return ", ".join(f"{name} {v['items_per_second'] / 1e6:.0f} M/s" for name, v in report["variants"].items())


def array_sum_runs(n, python_n):
    """Notebook 000, Act 2, "Módulos externos": np.mod(np.sum(np.arange(0, n)), 23), with an
    Eigen array (materialized) and an Eigen expression (lazy, 25 n values: it is that fast).
    The materialized time leaves out the first touch of the array's pages (the OS's work, which
    on a fresh machine varies tenfold); against numpy, whose arange includes it, it is added."""
    numpy = runner.numpy_python()
    runs = []
    for model in ("openmp", "mpi"):
        for w in (1, 2):
            python = model == "openmp" and w == 1
            runs.append(Run("array_sum", model, "materialized", w, [str(n), "--variant", "materialized"],
                            twin=[str(TWINS / "array_sum.py"), str(python_n)] if python else None,
                            twin_python=numpy, twin_size=python_n, twin_scale=n / python_n,
                            twin_label="np.mod(np.sum(np.arange(0, n)), 23)",
                            cpp_for_python=lambda r: r["seconds"] + r.get("first_touch_seconds", 0)))
        for w in (1, 2):
            runs.append(Run("array_sum", model, "lazy", w, [str(25 * n), "--variant", "lazy"]))
    return runs


def array_sum_summary(report):
    variant = next(iter(report["variants"].values()))
    touch = report.get("first_touch_seconds")
    return (f"sum%23={variant['mod23']}, peak {report['peak_memory'] / 2**20:.0f} MiB"
            + (f", first touch {touch:.2f} s apart" if touch else ""))


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


COMPUTE, WAITS = "compute", "waits"  # what a row's time is made of: work, or waiting
EXPERIMENTS = {
    # name: (runs(size, python_size), one-line result, default size, default Python size, kind)
    "range_sum": (range_sum_runs, range_sum_summary, 5 * 10**9, 2 * 10**7, COMPUTE),
    "big_power": (big_power_runs, big_power_summary, 10**7, 3 * 10**6, COMPUTE),
    "factorial": (factorial_runs, factorial_summary, 2 * 10**6, 10**5, COMPUTE),
    "sleep_map": (sleep_map_runs, sleep_map_summary, 1, 1, WAITS),
    "map_async": (map_async_runs, map_async_summary, 5, 5, WAITS),
    "refcount": (refcount_runs, refcount_summary, 10**6, 10**6, COMPUTE),
    "gather": (gather_runs, gather_summary, 100, 100, WAITS),
    "array_sum": (array_sum_runs, array_sum_summary, 2 * 10**8, 2 * 10**8, COMPUTE),
    "as_completed": (as_completed_runs, as_completed_summary, 10, 10, WAITS),
    "pool_map": (pool_map_runs, pool_map_summary, 5 * 10**7, 2 * 10**5, COMPUTE),
    "scrape": (scrape_runs, scrape_summary, 10, 10, WAITS),
}

BOOKSHOP = {}  # scrape's local server while the tour runs: {"url": the --url template}


# --- Running ---

def scaling_sweep(repetitions):
    """A small strong and weak sweep of hybrid range_sum, drawn as PNG plots."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts/scaling.py"), "--ranks", "1,2", "--threads", "1,2",
                           "--repetitions", str(repetitions), "--strong", "4000000000", "--weak", "1000000000",
                           "--json"], capture_output=True, text=True)
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


def measure(runs, kind, repetitions, progress):
    """Every run of one experiment: an untimed one each (compute only), then the repetitions
    interleaved. Returns, per run, its reports."""
    warmup, repetitions = (1, repetitions) if kind == COMPUTE else (0, min(repetitions, 2))
    total, done = len(runs) * (warmup + repetitions), [0]

    def one(run):
        done[0] += 1
        if progress:
            print(f"  {run.experiment} {run.model} {run.mode} x{run.workers}: run {done[0]} of {total} ...".ljust(70),
                  end="\r", file=sys.stderr, flush=True)
        return run_program(run)

    samples = runner.interleave({i: (lambda run=run: one(run)) for i, run in enumerate(runs)}, repetitions, warmup)
    return [samples[i] for i in range(len(runs))]


def summarise(run, reports, summary):
    """One row's figures from its repetitions: valid only if every one validated; the median
    seconds, the spread, and the report whose seconds are the median's, for the result."""
    timed = [r for r in reports if isinstance(r.get("seconds"), (int, float))]
    valid = bool(reports) and all(r.get("valid") and not r.get("exit_code") for r in reports)
    if not timed or len(timed) < len(reports):
        failed = next((r for r in reports if "error" in r or not r.get("valid")), reports[0] if reports else {})
        return {"valid": False, "seconds": None, "spread": None, "report": failed, "samples": [], "cpus_busy": None,
                "result": failed.get("error") or failed.get("failure", "?")}
    seconds = runner.median(timed)
    middle = min(timed, key=lambda r: abs(r["seconds"] - seconds))
    try:
        result = summary(middle) if valid else middle.get("failure", "did not validate")
    except (KeyError, TypeError, ZeroDivisionError) as e:
        result, valid = f"report without {e}", False
    busy = [r["cpus_busy"] for r in timed if "cpus_busy" in r]
    return {"valid": valid, "seconds": seconds, "spread": runner.spread(timed), "report": middle, "result": result,
            "samples": [r["seconds"] for r in timed], "cpus_busy": statistics.median(busy) if busy else None}


def speedup_of(run, row, base):
    """Work per second against one worker of the same model and mode, from the medians, and a
    flag: above_workers (more than the workers can give: noise, caches or the first touch of
    memory, not a speedup) or within_noise (nearer to 1 than the two rows' spreads)."""
    if not run.speedup or not base or not base["seconds"] or not row["seconds"]:
        return None, None
    speedup = base["seconds"] * run.work / row["seconds"]
    if run.workers == 1:
        return speedup, None
    if speedup > run.workers:
        return speedup, "above_workers"
    if abs(speedup - 1) <= row["spread"] + base["spread"]:
        return speedup, "within_noise"
    return speedup, None


def sized(text):
    """NAME=N: an experiment's size (an argparse type)."""
    name, equals, value = text.partition("=")
    if name not in EXPERIMENTS or not equals:
        raise argparse.ArgumentTypeError(f"{runner.quoted(text)}: expected NAME=N with NAME one of {', '.join(EXPERIMENTS)}")
    return name, runner.whole_number(1, 2**63 - 1)(value)


def ratio_text(cpp, python):
    if not cpp or not python:
        return ""
    return f"1/{python / cpp:.0f}" if python >= 10 * cpp else f"{cpp / python:.2f}"


FLAGS = {"above_workers": "!", "within_noise": "?"}


def main():
    parser = runner.Parser(prog="tour", description=__doc__)
    parser.add_argument("--size", type=sized, action="append", default=[], metavar="NAME=N", help="an experiment's size")
    parser.add_argument("--python-size", type=sized, action="append", default=[], metavar="NAME=N",
                        help="the size an experiment's Python version runs at")
    parser.add_argument("--no-python", action="store_true", help="skip the Python versions")
    parser.add_argument("--only", choices=sorted(EXPERIMENTS), action="append", help="run only these experiments")
    parser.add_argument("--repetitions", type=runner.whole_number(1, 100), default=3,
                        help="timed runs of each configuration (waits: at most 2); the median is shown")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        type=lambda text: text if text == "-" else runner.output_file(text),
                        help="write the table as JSON (- for stdout)")
    parser.add_argument("--csv", metavar="FILE", type=runner.output_file, help="write the table as CSV")
    parser.add_argument("--no-scaling", action="store_true", help="skip the small scaling sweep and its plots")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)  # scripts/tour's: set up first
    args = parser.parse_args()
    if args.setup:
        done = subprocess.run([str(ROOT / "scripts" / "setup"), "default"], stdout=sys.stderr)
        if done.returncode:
            return done.returncode
    sizes, python_sizes = dict(args.size), dict(args.python_size)

    if not BUILD.exists():
        sys.exit("tour: no build/ folder: run scripts/tour (it builds first) or scripts/setup")
    started = time.perf_counter()
    quiet = args.json == "-"
    progress = not quiet and sys.stderr.isatty()
    rows = []
    stack = contextlib.ExitStack()
    if "scrape" in (args.only or EXPERIMENTS):
        BOOKSHOP["url"] = stack.enter_context(
            runner.local_bookshop(BUILD / "tour-bookshop", sizes.get("scrape", EXPERIMENTS["scrape"][2])))
    for name in args.only or EXPERIMENTS:
        make_runs, summary, default_size, default_python_size, kind = EXPERIMENTS[name]
        size = sizes.get(name, default_size)
        runs = make_runs(size, min(size, python_sizes.get(name, default_python_size)))
        for run, reports in zip(runs, measure(runs, kind, args.repetitions, progress)):
            if progress and run.twin and not args.no_python:
                print(f"  {run.experiment}: the notebook's Python ...".ljust(70), end="\r", file=sys.stderr, flush=True)
            python = run_twin(run) if run.twin and not args.no_python else None
            rows.append((run, summarise(run, reports, summary), python))
    stack.close()
    if progress and not (args.no_scaling or args.only):
        print("  the scaling sweep ...".ljust(70), end="\r", file=sys.stderr, flush=True)
    scaling = None if args.no_scaling or args.only else scaling_sweep(min(args.repetitions, 2))

    table = []
    for run, row, python in rows:
        base = next((r for rn, r, _ in rows if (rn.experiment, rn.model, rn.mode) == (run.experiment, run.model, run.mode)
                     and rn.workers == 1), None)
        speedup, flag = speedup_of(run, row, base)
        seconds = row["seconds"]
        cpp = run.cpp_for_python(row["report"]) if run.cpp_for_python and seconds is not None else seconds
        table.append({
            "experiment": run.experiment, "model": run.model, "mode": run.mode, "workers": run.workers,
            "ranks_x_threads": f"{run.workers // run.threads}x{run.threads}" if run.model == "hybrid" else "",
            "oversubscribed": run.workers > CORES, "result": row["result"], "valid": row["valid"],
            "seconds": seconds, "spread": row["spread"], "samples": row["samples"], "cpus_busy": row["cpus_busy"],
            "repetitions": args.repetitions if EXPERIMENTS[run.experiment][4] == COMPUTE else min(args.repetitions, 2),
            "speedup": speedup, "speedup_flag": flag, "python_seconds": python,
            "python_equivalent": run.twin_label if python else "",
            "python_scaled_from": run.twin_size if python and run.twin_scale != 1 else None,
            "cpp_seconds_against_python": cpp if python else None,
            "cpp_over_python": cpp / python if python and cpp else None,
        })
    elapsed = time.perf_counter() - started

    if args.json:
        text = json.dumps({"cores": CORES, "seconds": elapsed, "rows": table, "scaling": scaling}, indent=1)
        if args.json == "-":
            print(text)
        else:
            runner.write_whole(args.json, text + "\n")
    if args.csv:
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
        runner.write_whole(args.csv, text.getvalue())
    if not quiet:
        if progress:
            print(" " * 70, end="\r", file=sys.stderr)
        headers = ["experiment", "model", "mode", "workers", "result", "valid", "seconds", "spread", "CPUs", "speedup",
                   "python (the notebook's code)", "C++/Python"]
        lines = [[t["experiment"], t["model"], t["mode"],
                  f"{t['workers']}{'*' if t['oversubscribed'] else ''}"
                  + (f" ({t['ranks_x_threads']})" if t["ranks_x_threads"] else ""), t["result"],
                  "yes" if t["valid"] else "NO", f"{t['seconds']:.4f}" if t["seconds"] is not None else "-",
                  f"{t['spread']:.0%}" if t["spread"] is not None else "-",
                  f"{t['cpus_busy']:.2f}" if t["cpus_busy"] is not None else "-",
                  f"{t['speedup']:.2f}{FLAGS.get(t['speedup_flag'], '')}" if t["speedup"] else "-",
                  f"{t['python_seconds']:.2f} s{'~' if t['python_scaled_from'] else ''}  {t['python_equivalent']}"
                  if t["python_seconds"] else "",
                  ratio_text(t["cpp_seconds_against_python"], t["python_seconds"])] for t in table]
        widths = [max(len(str(x)) for x in column) for column in zip(headers, *lines)]
        for line in [headers] + lines:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
        print(f"\nseconds: the program's own timing (MPI: the slowest rank, launch excluded), the median of "
              f"{args.repetitions} runs after an untimed one\n         (waits: of {min(args.repetitions, 2)} runs); "
              f"spread: (max - min) / median of those runs.")
        print("CPUs:    CPUs kept busy: the CPU seconds of the whole command (launcher, ranks, threads) per wall second"
              "\n         of it, the median. The launch counts: short MPI runs read low while mpirun starts the ranks;"
              "\n         MPI ranks waiting in a collective poll, and keep a CPU busy. scripts/cpu draws one run over time.")
        print("speedup: work per second against 1 worker of the same model and mode (replicate: W workers do W sums,"
              "\n         so flat wall time is a speedup of W). * more workers than this machine's "
              f"{CORES} cores.")
        flagged = {t["speedup_flag"] for t in table if t["speedup_flag"]}
        if "above_workers" in flagged:
            print("         ! above the worker count: not a speedup (noise, caches, or memory touched first elsewhere).")
        if "within_noise" in flagged:
            print("         ? nearer to 1 than the spreads of the two rows: no effect beyond the noise.")
        if any(t["experiment"] == "scrape" for t in table):
            print("scrape:  multi's workers are transfers in flight, all on one thread.")
        if any(t["experiment"] == "array_sum" and t["python_seconds"] for t in table):
            print("array_sum: against numpy, the C++ time includes the first touch of the array, as numpy's arange does.")
        scaled = sorted({t["python_scaled_from"] for t in table if t["python_scaled_from"]})
        if scaled:
            print(f"python:  ~ timed at n = {', '.join(f'{s:.0e}'.replace('e+0', 'e').replace('e+', 'e') for s in scaled)} and scaled linearly to the C++ size.")
        if scaling and "error" in scaling:
            print(f"\nscaling sweep failed: {scaling['error']}")
        elif scaling:
            f = scaling["serial_fraction"]
            print(f"\nscaling (hybrid range_sum, 1-2 ranks x 1-2 threads): Amdahl serial fraction "
                  f"{'-' if f is None else f'{f:.3f}'}; plots: {', '.join(scaling['pngs']) or 'none (no gnuplot)'}")
        print(f"\ntour: {len(table)} rows in {elapsed:.0f} s")
    scaling_ok = scaling is None or "error" not in scaling
    return 0 if all(t["valid"] for t in table) and scaling_ok else 1


if __name__ == "__main__":
    runner.script(main)
