"""Running the project's programs from scripts (the tour, the benchmarks, the scaling study):
where the build is, how to launch MPI, and the environment each model needs.

Open MPI wants to be told to run as root and with more ranks than cores, and binds each rank
to one core by default, which piles a hybrid rank's threads onto that core; these settings go
only to an MPI launcher that reported itself as Open MPI. MPICH needs none of them.
"""
import argparse
import contextlib
import decimal
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
CORES = os.cpu_count() or 1


class Parser(argparse.ArgumentParser):
    """The scripts' command lines keep the programs' contract for bad input: one line,
    "NAME: error: ... (see --help)", nothing on stdout, exit code 2, before any work is done."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        message = " ".join(message.split())
        if len(message) > 300:  # a huge argument is named, never echoed whole
            message = message[:300] + "..."
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def quoted(text, most=40):
    """An argument as an error line names it: quoted, and cut when it is long."""
    return repr(text if len(text) <= most else text[:most] + "...")


def script(main):
    """Runs a script's main(); its return value is the exit code. Ctrl-C or SIGTERM ends it with
    one line and exit code 130, the run it was waiting for stopped (see run())."""
    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"{Path(sys.argv[0]).name}: interrupted", file=sys.stderr)
        sys.exit(130)


def whole_number(low, high):
    """An argparse type: an integer from low to high, as digits or exactly in exponent form
    (5e6); never nan, inf or 2.5."""
    def parse(text):
        try:
            value = decimal.Decimal(text) if text == text.strip() else None  # no spaces around
        except decimal.InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value != value.to_integral_value():
            raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number (write 3 or 5e6)")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{quoted(text)} is out of range: give a number from {low} to {high}")
        return int(value)
    return parse


def whole_numbers(low, high):
    """An argparse type: a comma-separated list of whole_number(low, high)."""
    one = whole_number(low, high)
    return lambda text: [one(item) for item in text.split(",")]


def output_file(text):
    """An argparse type: a file the script will write, checked before any work is done (its
    folder exists and is writable, and it is not a folder itself)."""
    path = Path(text)
    folder = path.parent
    if not text or path.is_dir():
        raise argparse.ArgumentTypeError(f"{quoted(text)} is a folder, not a file")
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write {quoted(text)}: {quoted(str(folder))} is not a writable folder")
    return path


def write_whole(path, text):
    """Writes a file whole or not at all: a partial file beside it, then renamed over it."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text)
    partial.replace(path)


def bench_parser(doc, repetitions=3):
    """A benchmark's command line: its own options, then --repetitions and --json FILE."""
    parser = Parser(prog=Path(sys.argv[0]).name, description=doc)
    parser.add_argument("--repetitions", type=whole_number(1, 100), default=repetitions,
                        help=f"interleaved timed rounds (default {repetitions})")
    parser.add_argument("--json", metavar="FILE", type=output_file, help="also write the figures as JSON")
    return parser


def bench_helper(name):
    """build/bench/NAME, a benchmark's helper program; the benchmark stops at once without it."""
    binary = BUILD / "bench" / name
    if not binary.exists():
        sys.exit(f"bench: build/bench/{name} is missing: cmake --build build --target {name}")
    return binary


def helper_report(command, env, wrong):
    """Runs a benchmark helper: its JSON report, or the benchmark stops, saying what was wrong,
    when the helper's own check failed."""
    report = json.loads(subprocess.run(command, capture_output=True, text=True, env=env).stdout)
    if not report["valid"]:
        sys.exit(f"bench: {wrong}")
    return report


def mpi_copy(message_bytes, repetitions=5):
    """bench/mpi_copy's report: the median trip of `message_bytes` from rank 0 to rank 1 of this
    machine, answered by one byte (seconds, gb_per_s)."""
    env = command("mpi", "mpi_copy", [], ranks=2)[1]
    return helper_report(mpi_launch(2) + [str(bench_helper("mpi_copy")), str(message_bytes), str(repetitions)],
                         env, "mpi_copy's message arrived wrong")


def cmake_cache(name, build=BUILD):
    cache = build / "CMakeCache.txt"
    if cache.exists():
        match = re.search(rf"^{name}:[A-Z]+=(.*)$", cache.read_text(), re.M)
        if match:
            return match.group(1)
    return None


def mpi_launch(ranks):
    return [cmake_cache("MPIEXEC_EXECUTABLE") or "mpiexec", cmake_cache("MPIEXEC_NUMPROC_FLAG") or "-n", str(ranks)]


def mpi_environment():
    env = {}
    try:
        version = subprocess.run(mpi_launch(1)[:1] + ["--version"], capture_output=True, text=True).stdout
    except OSError:
        return env
    if "Open MPI" in version or "OpenRTE" in version:
        env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        env["OMPI_MCA_hwloc_base_binding_policy"] = "none"  # let a rank's threads use every core
        if os.geteuid() == 0:
            env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return env


MPI_ENV = None


def command(model, experiment, args, ranks=1, threads=1):
    """The command line and environment that run build/<model>/<experiment> with --json."""
    global MPI_ENV
    env = dict(os.environ)
    line = [str(BUILD / model / experiment)] + list(args) + ["--json"]
    if model in ("openmp", "hybrid", "serial"):
        env["OMP_NUM_THREADS"] = str(threads)
    if model in ("mpi", "hybrid"):
        if MPI_ENV is None:
            MPI_ENV = mpi_environment()
        line = mpi_launch(ranks) + line
        env.update(MPI_ENV)
    return line, env


def run(model, experiment, args, ranks=1, threads=1, timeout=900):
    """Runs a program; returns its JSON report, with "wall_seconds" (launch included) and
    "exit_code" added, and "cpu_seconds" and "cpus_busy": the CPU time of the command and every
    process it waited for (the kernel's count, launcher and ranks included), and that per wall
    second. Raises RuntimeError when it prints no JSON or outlives `timeout`. A run
    cut short (the time limit, Ctrl-C) is ended by stop(): no rank or session file left."""
    line, env = command(model, experiment, args, ranks, threads)
    start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with subprocess.Popen(line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException as e:
            stop(process)
            if isinstance(e, subprocess.TimeoutExpired):
                raise RuntimeError(f"{' '.join(line)}: did not end within {timeout} s") from None
            raise
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"{' '.join(line)}: exit {process.returncode}, no JSON: {stderr.strip()[:300]}") from None
    report.update(wall_seconds=wall, exit_code=process.returncode, cpu_seconds=cpu, cpus_busy=cpu / wall)
    return report


LAUNCHERS = re.compile(r"^(mpirun|mpiexec.*|orterun|prterun)$")


def group_members(group):
    """(pid, command name) of every process in a process group (from /proc: comm and pgid)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if int(rest[2]) == group:
            found.append((int(stat.parent.name), comm))
    return found


def forget_openmp_registrations(pids):
    """LLVM's libomp (the clang++ builds: race detection, the grader's) registers each process in
    /dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid> and removes that file when the process exits; a
    process ended by a signal cannot, so whoever sent the signal removes it."""
    for pid in pids:
        for path in Path("/dev/shm").glob(f"__KMP_REGISTERED_LIB_{pid}_*"):
            with contextlib.suppress(OSError):
                path.unlink()


def alive(pid):
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] not in "ZX"  # a zombie has ended


def stop(process):
    """Ends a run started in a session of its own (start_new_session), and everything it started.
    The MPI launcher gets SIGTERM first, alone: it stops its ranks and removes its session files
    (killed with them, it leaves them in /tmp and /dev/shm); then SIGKILL to whatever is left of
    the group; then the OpenMP runtime's files of the processes it ended."""
    members = group_members(process.pid)
    mpi = [pid for pid, comm in members if LAUNCHERS.match(comm)]
    for pid in mpi:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in mpi):
        time.sleep(0.1)
    members += group_members(process.pid)  # and what started meanwhile
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    forget_openmp_registrations({pid for pid, _ in members})


def validated(model, experiment, args, ranks=1, threads=1, timeout=900):
    """run(), for benchmarks: a run that did not validate ends the benchmark, with its reason."""
    try:
        report = run(model, experiment, args, ranks=ranks, threads=threads, timeout=timeout)
    except RuntimeError as e:
        sys.exit(f"bench: {e}")
    if not report.get("valid") or report.get("exit_code"):
        sys.exit(f"bench: {model}/{experiment} {' '.join(args)} did not validate: {report.get('failure', '?')}")
    return report


def interleave(runs, repetitions, warmup=1):
    """Side by side, as every figure here is measured: `runs` maps a name to a callable (it
    returns a report or a number). Each is first run `warmup` times untimed (first touches of
    memory, caches, the MPI launcher), then `repetitions` rounds run every one once per round, so
    that a slow minute on a shared machine falls on all of them alike. Returns {name: [result
    per round]}."""
    samples = {name: [] for name in runs}
    for round_ in range(warmup + repetitions):
        for name, one in runs.items():
            result = one()
            if round_ >= warmup:
                samples[name].append(result)
    return samples


def median(results, key="seconds"):
    """The median of one field (a key, or a function) over the results of one configuration."""
    pick = key if callable(key) else (lambda r: r[key])
    return statistics.median(pick(r) for r in results)


def spread(results, key="seconds"):
    """(max - min) / median of one field: how far the repetitions disagree."""
    pick = key if callable(key) else (lambda r: r[key])
    values = [pick(r) for r in results]
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


def numpy_python():
    """A Python that has numpy: Debian's /usr/bin/python3 with python3-numpy first (the python3
    first on PATH may lack it), else this one. None when none has it."""
    for python in ("/usr/bin/python3", sys.executable):
        if subprocess.run([python, "-c", "import numpy"], capture_output=True).returncode == 0:
            return python
    return None


@contextlib.contextmanager
def local_bookshop(directory, latency_ms=0):
    """The tests' stand-in for books.toscrape.com (tests/scrape/bookshop.py) serving on
    127.0.0.1 while the block runs; yields the scraper's --url template, with latency_ms of
    delay per page."""
    shop = [sys.executable, str(ROOT / "tests/scrape/bookshop.py")]
    subprocess.run(shop + ["start", str(directory)], check=True, stdout=subprocess.DEVNULL)
    try:
        port = (Path(directory) / "port").read_text().strip()
        yield f"http://127.0.0.1:{port}/slow{latency_ms}/catalogue/page-{{}}.html"
    finally:
        subprocess.run(shop + ["stop", str(directory)], stdout=subprocess.DEVNULL)


def print_figures(figures, json_path=None):
    """A benchmark's figures: (name, ratio or None, target, met or None, detail) each, as
    aligned lines, and as JSON into json_path when given."""
    print()
    width = max(len(f[0]) for f in figures)
    for name, ratio, target, ok, detail in figures:
        verdict = "" if ok is None else ("meets target" if ok else "BELOW TARGET")
        shown = f"{ratio:8.3f}x" if ratio is not None else " " * 9
        print(f"{name.ljust(width)}  {shown}  {target:8}  {verdict:12}  {detail}")
    if json_path:
        rows = [dict(zip(("figure", "ratio", "target", "meets", "detail"), f)) for f in figures]
        write_whole(json_path, json.dumps(rows, indent=1) + "\n")
