"""The grader's evidence, read back from what the probes wrote (coursework/probes/) and from the
kernel's accounting of the processes the grader started.

Each process the probes saw leaves $PARACON_PROBE_DIR/evidence-<pid>.json: one sample a
millisecond, on the millisecond boundaries of CLOCK_MONOTONIC, of how many of its threads were
running their own code at that instant (and not waiting in the runtime or in MPI, not asleep,
not waking and sleeping over and over), each thread's time and CPU time by state, and where the
threads waited (the construct or MPI call, by code address). From these:

  together_*(...) the share of the time two or more threads were in a parallel region (or every
                  rank ran) during which two or more of them ran their own code at the same instant
  waits(...)      where the time went instead, by file and line
  own_cpu(...)    the CPU seconds of the program's own code (the waste criterion compares p
                  workers with one)
  asleep(...)     threads that were in their own code but, the kernel says, not running it
"""
import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Process:
    """One evidence file: one process (an OpenMP program, or an MPI rank)."""
    pid: int
    rank: int
    tick: float                     # seconds between samples
    start: float                    # CLOCK_MONOTONIC seconds: sampling began, ended
    end: float
    samples: int
    runs: list                      # [first tick, length, threads running own code, in own code, in a region]
    threads: list
    sites: list                     # where threads waited: kind, call, thread, ticks, file, offset
    cpu_seconds: float              # the process's CPU time, from the kernel, when it wrote the file
    openmp: dict = field(default_factory=dict)
    mpi: dict = field(default_factory=dict)
    untracked_threads: int = 0
    session: int = 0                # the process's session: the grader's run starts one of its own


def read(folder):
    """Every evidence file in a probe folder, ranks in rank order. A file that is not the probes'
    JSON is ignored (the run that should have written it is then missing its evidence)."""
    found = []
    for path in Path(folder).glob("evidence-*.json") if folder else []:
        try:
            d = json.loads(path.read_text())
            found.append(Process(int(d["pid"]), int(d["rank"]), float(d["tick_seconds"]), float(d["start"]),
                                 float(d["end"]), int(d["samples"]), d["ticks"], d["threads"], d["waits"],
                                 float(d["process_cpu_seconds"]), d.get("openmp", {}), d.get("mpi", {}),
                                 int(d.get("untracked_threads", 0)), int(d.get("session", 0))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda p: (p.rank, p.pid))


def hang_report(folder):
    """'rank 0 in MPI_Send (to rank 1, 8000000 bytes); rank 1 in ...' from the PMPI layer's status
    files, for the ranks that had not finished."""
    if not folder:
        return ""
    states = []
    for path in sorted(Path(folder).glob("rank-*.status"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0)):
        text = path.read_bytes().split(b"\0")[0].decode(errors="replace").strip()
        rank = re.sub(r"\D", "", path.name)
        if text != "finished":
            states.append(f"rank {rank} {text or 'starting'}")
    return "; ".join(states)


COLUMNS = {"running": 2, "own": 3, "team": 4}


def counts(process, working):
    """{tick: how many of the process's threads were working}; working is 'running' (their own
    code, and running it), 'own' (in their own code, running or not: when waiting is the work) or
    'team' (inside a parallel region, working or waiting)."""
    column = COLUMNS[working]
    out = {}
    for run in process.runs:
        first, length = run[0], run[1]
        for tick in range(first, first + length):
            out[tick] = run[column]
    return out


def ticks_where(process, column, at_least=2):
    return sum(run[1] for run in process.runs if run[COLUMNS[column]] >= at_least)


def together_threads(process, working="running"):
    """(share, seconds): the share of the time the process had a team of two or more threads in a
    parallel region during which two or more of them worked at the same instant, and that time."""
    team = ticks_where(process, "team")
    if not team:
        return 0.0, 0.0
    return min(1.0, ticks_where(process, working) / team), team * process.tick


def together_ranks(processes, working="running", ranks=None):
    """The share of the run (from the last rank's start to the first rank's end: while every rank
    ran) at which two or more ranks (of `ranks`, by default all) had a thread working. A rank's
    tick with no sample (its sampler was late) keeps the rank's previous count."""
    chosen = [p for p in processes if ranks is None or p.rank in ranks]
    if len(chosen) < 2:
        return 0.0, 0.0
    tick = chosen[0].tick
    first, last = int(max(p.start for p in chosen) / tick) + 1, int(min(p.end for p in chosen) / tick) - 1
    if last < first:
        return 0.0, 0.0
    per = [counts(p, working) for p in chosen]
    held = [0] * len(chosen)
    both = 0
    for t in range(first, last + 1):
        for k, c in enumerate(per):
            held[k] = c.get(t, held[k])
        both += sum(1 for h in held if h >= 1) >= 2
    span = last - first + 1
    return both / span, span * tick


def own_cpu_of_workers(processes, model):
    """User CPU seconds the kernel gave the program's own code, for each worker (each thread of an
    OpenMP or hybrid program, each rank of an MPI one), as the threads themselves read their CPU
    clocks at the edges: inside parallel regions and, for MPI and hybrid programs, the rank's
    serial code outside MPI calls too. System time (page faults: the machine's work, and on a
    virtual machine as noisy as the first touch of memory) is left out."""
    workers = []
    for p in processes:
        mine = []
        for t in p.threads:
            exact = t.get("exact", {})
            # a pool thread reports its last region's end only at the next region: what it used
            # since entering it, by its CPU clock, is that region's
            used = exact.get("user_in_regions", 0.0) + (0.0 if t.get("initial") else exact.get("open_region", 0.0))
            if model != "openmp" and exact.get("user", -1) >= 0:  # the thread that ended the run
                used += max(0.0, exact["user"] - exact.get("user_in_regions", 0.0) - exact.get("user_in_mpi", 0.0))
            mine.append(used)
        workers += [sum(mine)] if model == "mpi" else mine
    return workers


def own_cpu(processes, model):
    """The CPU seconds of the program's own code, summed over its workers (own_cpu_of_workers)."""
    return sum(own_cpu_of_workers(processes, model))


def probe_cpu(processes):
    """Every CPU second the probes saw their threads use: it cannot exceed what the kernel counted
    for the whole run."""
    return sum(t.get("cpu_seconds_total", 0.0) for p in processes for t in p.threads)


def asleep(process, tick_share=0.25):
    """Threads that were in their own code for a real part of the run while the kernel had them
    asleep, or waking and sleeping over and over, for more than tick_share of that time:
    [(thread index, seconds in own code, seconds not running)]."""
    found = []
    for index, t in enumerate(process.threads):
        own = t["ticks"]["own"] + t["ticks"]["serial"]
        idle = own - t["running_own_ticks"]
        if own * process.tick >= 0.02 and own >= 0.1 * process.samples and idle > tick_share * own:
            found.append((index, own * process.tick, idle * process.tick))
    return found


class KernelView:
    """What the kernel showed of a run, from outside it (scripts/meter.py): which processes ran the
    program, and when two or more of its threads or ranks were running or ready to run. Evidence
    is believed only where it agrees: a file no process of the run could have written is ignored,
    and no file may claim more time at once than the kernel saw."""

    def __init__(self, meter, binary):
        self.meter, self.binary = meter, str(binary)
        self.pids = meter.of_program(binary)

    def ran(self, process):
        return not self.meter.programs or process.pid in self.pids

    def together_seconds(self, across_ranks):
        """Seconds at which two or more threads of one process (or, across ranks, two or more
        processes of the program) were running or ready to run, by the samples."""
        mine = {pid for pid, (_, exe) in self.meter.programs.items() if exe == self.binary}
        total, last = 0.0, None
        for moment, seen in self.meter.samples:
            step = self.meter.period if last is None else moment - last
            last = moment
            if across_ranks:
                busy = sum(1 for pid, (_, _, running, _) in seen.items() if pid in mine and running >= 1)
            else:
                busy = max((running for pid, (_, _, running, _) in seen.items() if pid in mine), default=0)
            total += step if busy >= 2 else 0.0
        return total


def claimed_together_seconds(processes, across_ranks):
    """The seconds the evidence says two or more threads (ranks) ran their own code at once."""
    if across_ranks:
        share, span = together_ranks(processes)
        return share * span
    return max((ticks_where(p, "running") * p.tick for p in processes), default=0.0)


KINDS = {
    "barrier": "the barrier",
    "barrier_region": "the barrier that ends the parallel region",
    "barrier_construct": "the barrier that ends the worksharing construct (for, single, sections)",
    "barrier_implicit": "the implicit barrier",
    "taskwait": "the taskwait",
    "taskgroup": "the end of the taskgroup",
    "reduction": "the reduction",
    "critical": "the critical section",
    "lock": "the lock",
    "ordered": "the ordered region",
    "atomic": "the atomic update",
}


@dataclass
class Site:
    kind: str
    call: str
    share: float      # of the threads' (or ranks') time
    where: str        # 'range_sum.cpp:64', or '' when the runtime gave no code address

    def words(self):
        if self.kind == "mpi":
            name = self.call or "MPI"
        else:
            name = KINDS.get(self.kind, self.kind)
        return f"{name}{' at ' + self.where if self.where else ''}"


def waits(processes, source_map=None, most=3):
    """Where the threads (ranks) waited, largest first: [Site], each with its share of the
    threads' time. source_map maps a source path, as the debug information names it, to the
    name to show (the student's file)."""
    total = sum(p.samples * max(1, len(p.threads)) for p in processes) or 1
    ticks, places = defaultdict(int), {}
    for p in processes:
        for s in p.sites:
            key = (s["kind"], s["call"], s["file"], int(s["offset"]))
            ticks[key] += int(s["ticks"])
    lines = lines_of({(f, o) for _, _, f, o in ticks if f and o}, source_map or {})
    merged = defaultdict(int)
    for (kind, call, file, offset), n in ticks.items():
        merged[(kind, call, lines.get((file, offset), ""))] += n
    ranked = sorted(merged.items(), key=lambda kv: -kv[1])[:most]
    return [Site(kind, call, n / total, where) for (kind, call, where), n in ranked]


def lines_of(places, source_map):
    """{(file, offset): 'name.cpp:line'} by addr2line, from the debug information (the address is a
    return address: the call is the instruction before it). The innermost frame that lies in a
    file of source_map is preferred (a call made by a helper inlined into the student's code)."""
    by_file = defaultdict(list)
    for file, offset in places:
        by_file[file].append(offset)
    out = {}
    for file, offsets in by_file.items():
        if not Path(file).is_file():
            continue
        try:
            done = subprocess.run(["addr2line", "-e", file, "-i", "-a"] + [hex(o - 1) for o in offsets],
                                  capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        frames, current = defaultdict(list), None
        for line in done.stdout.splitlines():
            if line.startswith("0x"):
                current = int(line, 16) + 1
            elif current is not None:
                frames[current].append(line.strip())
        for offset in offsets:
            found = [f for f in frames.get(offset, []) if not f.startswith("??")]
            mine = [f for f in found if f.rsplit(":", 1)[0] in source_map]
            pick = (mine or found or [""])[0]
            if not pick:
                continue
            path, _, number = pick.partition(":")
            number = number.split()[0] if number else ""
            name = source_map.get(path, Path(path).name)
            out[(file, offset)] = f"{name}:{number}" if number and number != "?" else name
    return out
