#!/usr/bin/env python3
"""A timeline of any run: what each thread and each rank did, and when.

    scripts/trace --out DIR [--width PX] -- COMMAND...

The command runs with the grader's probes (coursework/probes: one tool for both): an OpenMP
program on LLVM's libomp with the OMPT tool, so that each thread's parallel regions, explicit
tasks and waits (barriers, taskwait and taskgroup, critical sections, locks, ordered regions) are
seen from inside the runtime; an MPI program with the PMPI layer, so that each rank's MPI calls
are, with their partner and bytes; a hybrid program with both. Every change is timed to the
nanosecond (CLOCK_MONOTONIC: the ranks of one host share it). It writes

    DIR/trace.json     Chrome's trace event format: open it in https://ui.perfetto.dev or
                       chrome://tracing (nothing to install)
    DIR/timeline.png   one row per thread (per rank, for MPI): own code, waits, MPI calls

    scripts/trace --out trace -- env OMP_NUM_THREADS=2 build/openmp/range_sum 4e9
    scripts/trace --out trace -- mpirun -n 2 build/mpi/range_sum 4e9 --mode split

The command's output passes through and its exit code is the script's. The programs to trace are
the project's (or any built against the OpenMP and MPI the project builds with); the probes come
from build/ (cmake --build build builds them).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "coursework"))
import runner  # noqa: E402
import evidence  # noqa: E402  where a code address lies: file and line, by addr2line

TOOLS = runner.BUILD / "coursework"
LAUNCHERS = {"mpirun", "mpiexec", "orterun", "mpiexec.hydra", "mpirun.openmpi", "mpiexec.openmpi", "mpirun.mpich",
             "mpiexec.mpich", "srun"}
KINDS = ["", "barrier", "barrier (end of region)", "barrier (end of loop)", "barrier (implicit)", "taskwait",
         "taskgroup", "reduction", "critical", "lock", "ordered", "atomic", "mpi"]
# What each row of the picture shows, by category, in the colour it is drawn in.
COLOURS = {"own code": "#2e8b57", "task": "#66cdaa", "serial code": "#9acd32", "barrier": "#ffa500",
           "taskwait": "#ffd700", "mutual exclusion": "#dc143c", "MPI": "#4169e1"}


def needed(path):
    """The shared libraries an ELF file asks for (readelf -d), or [] for a script."""
    try:
        done = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.split("[", 1)[1].rstrip("]") for line in done.stdout.splitlines() if "(NEEDED)" in line]


def program_index(command):
    """Where the program is in the command: after `env`'s settings and an MPI launcher's options,
    the first word that is an executable file (a launcher's option values are not)."""
    k = 0
    if Path(command[0]).name == "env":
        k = 1
        while k < len(command) and ("=" in command[k] or command[k].startswith("-")):
            k += 1
    if k < len(command) and Path(command[k]).name in LAUNCHERS:
        k += 1
        while k < len(command) and not (not command[k].startswith("-") and Path(command[k]).is_file()
                                       and os.access(command[k], os.X_OK)):
            k += 1
    return k if k < len(command) else None


def traced(command, folder):
    """The command, with the probes put in front of its program, and its environment."""
    env = dict(os.environ, PARACON_PROBE_DIR=str(folder), PARACON_TRACE="1")
    for k in list(env):
        if k.startswith("PARACON_") and k not in ("PARACON_PROBE_DIR", "PARACON_TRACE"):
            del env[k]
    k = program_index(command)
    if k is None:
        return None, env, "no program in the command: give the program to trace (or mpirun -n N PROGRAM)"
    program = shutil.which(command[k]) or command[k]
    libraries = needed(program)
    settings = []
    if any(name.startswith("libgomp") or name.startswith("libomp") for name in libraries):
        env.update(OMP_TOOL="enabled", OMP_TOOL_LIBRARIES=str(TOOLS / "libompt_probe.so"))
        settings.append("LD_LIBRARY_PATH=" + ":".join([str(TOOLS / "libomp")] + ([env["LD_LIBRARY_PATH"]]
                                                                                 if env.get("LD_LIBRARY_PATH") else [])))
    if any(name.startswith("libmpi") for name in libraries):
        settings.append(f"LD_PRELOAD={TOOLS / 'libpmpi_probe.so'}")
    if not settings:
        return None, env, f"{runner.quoted(command[k])} uses neither OpenMP nor MPI: there is nothing to trace"
    return command[:k] + ["env"] + settings + command[k:], env, ""


def intervals(marks):
    """A thread's marks as pieces [begin, end, word, in_region] between consecutive changes."""
    return [(a[0], b[0], a[1], a[2]) for a, b in zip(marks, marks[1:]) if b[0] > a[0]]


def label(word, calls, mpi_thread):
    """(name, category) of what a thread did while its word was `word`; None for idle."""
    state, kind, detail = word & 3, (word >> 2) & 0x3F, (word >> 8) & 0xFF
    if state == 0:
        return None
    if state == 1:
        return ("task", "task") if detail == 1 else ("own code", "own code")
    if state == 2:
        return ("computing", "own code") if mpi_thread else ("serial code", "serial code")
    if kind == 12:
        return (calls[detail] if detail < len(calls) else "MPI call"), "MPI"
    name = KINDS[kind] if kind < len(KINDS) else "wait"
    if kind in (8, 9, 10, 11):
        return name, "mutual exclusion"
    return name, "taskwait" if kind in (5, 6) else "barrier"


def build(files):
    """Chrome trace events and the picture's rows from the probes' trace files."""
    traces = [json.loads(f.read_text()) for f in files]
    marks = [m for t in traces for th in t["threads"] for m in th["marks"]]
    if not marks:
        return [], [], 0.0, 0
    zero = min(m[0] for m in marks)
    traces.sort(key=lambda t: (t["rank"] if t["rank"] >= 0 else 1 << 30, t["pid"]))
    places = {}
    for t in traces:
        places.update({int(a): tuple(where) for a, where in t["places"].items()})
    lines = evidence.lines_of(set(places.values()), {})
    events, rows, dropped = [], [], 0
    end_of = {t["pid"]: max((m[0] for th in t["threads"] for m in th["marks"]), default=zero) for t in traces}
    for t in traces:
        pid, rank = t["pid"], t["rank"]
        dropped += t.get("dropped", 0)
        events.append({"ph": "M", "name": "process_name", "pid": pid, "tid": 0,
                       "args": {"name": f"rank {rank} (pid {pid})" if rank >= 0 else f"process {pid}"}})
        events.append({"ph": "M", "name": "process_sort_index", "pid": pid, "tid": 0, "args": {"sort_index": max(rank, 0)}})
        notes = {(slot, index): text for slot, index, text in t["notes"]}
        for slot, th in enumerate(t["threads"]):
            tid = th["tid"]
            mpi_thread = rank >= 0 and th["initial"]
            name = f"thread {slot}" + (" (initial)" if th["initial"] else "")
            row = (f"rank {rank} " if rank >= 0 else "") + (f"thread {slot}" if len(t["threads"]) > 1 or rank < 0 else "")
            events.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}})
            events.append({"ph": "M", "name": "thread_sort_index", "pid": pid, "tid": tid, "args": {"sort_index": slot}})
            # A thread's last state lasts to its process's end (a pool thread says it left its
            # last barrier only when a next region begins, which may never come).
            pieces = intervals(th["marks"] + ([[end_of[pid], 0, 0]] if th["marks"] else []))
            boxes = []
            # The parallel regions, each a span around what the thread did in it.
            region = None
            for begin, end, _, inside in pieces + [(pieces[-1][1], pieces[-1][1], 0, 0)] if pieces else []:
                if inside and region is None:
                    region = begin
                elif not inside and region is not None:
                    events.append(complete("parallel region", "region", region, begin, zero, pid, tid, {}))
                    region = None
            # What it did, merged where one thing went on across marks.
            merged = []
            for k, (begin, end, word, inside) in enumerate(pieces):
                what = label(word, t["calls"], mpi_thread)
                if what is None:
                    continue
                args = {}
                address = word >> 16
                if address and address in places:
                    where = lines.get(places[address])
                    if where:
                        args["where"] = where
                text = notes.get((slot, k))
                if text:
                    args["call"] = text
                if merged and merged[-1][0] == what and merged[-1][2] == begin and merged[-1][4] == inside and not args:
                    merged[-1][2] = end
                else:
                    merged.append([what, begin, end, args, inside])
            for (name_, category), begin, end, args, _ in merged:
                events.append(complete(name_, category, begin, end, zero, pid, tid, args))
                boxes.append((category, (begin - zero) * 1e-9, (end - zero) * 1e-9))
            if any(b for b in boxes):
                rows.append((row.strip() or f"pid {pid}", boxes))
    span = (max(m[0] for m in marks) - zero) * 1e-9
    return events, rows, span, dropped


def complete(name, category, begin, end, zero, pid, tid, args):
    event = {"ph": "X", "name": name, "cat": category, "ts": round((begin - zero) / 1000, 3),
             "dur": round((end - begin) / 1000, 3), "pid": pid, "tid": tid}
    if args:
        event["args"] = args
    return event


def draw(rows, span, png, title, width):
    """The timeline: a row per thread or rank, a box per thing it did, coloured by category."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise RuntimeError("gnuplot is not installed (scripts/setup installs it)")
    height = 150 + 46 * len(rows)
    smallest = span / (4 * width) if span > 0 else 0  # narrower than a quarter pixel: not drawn
    with tempfile.TemporaryDirectory() as folder:
        used = []
        for category in COLOURS:
            with open(Path(folder) / f"{len(used)}.dat", "w") as f:
                count = 0
                for y, (_, boxes) in enumerate(reversed(rows)):
                    for c, begin, end in boxes:
                        if c == category and end - begin >= smallest:
                            f.write(f"{(begin + end) / 2:.9f} {y} {(end - begin) / 2:.9f} 0.36\n")
                            count += 1
            if count:
                used.append(category)
            else:
                (Path(folder) / f"{len(used)}.dat").unlink()
        tics = ", ".join(f'"{name}" {y}' for y, (name, _) in enumerate(reversed(rows)))
        lines = [f'set terminal pngcairo size {width},{height} font ",11" noenhanced', f'set output "{png}"',
                 f'set title "{title}" font ",13"', 'set xlabel "seconds"', f"set xrange [0:{max(span, 1e-6) * 1.01:.9f}]",
                 f"set yrange [-0.7:{len(rows) - 0.3}]", f"set ytics ({tics})", "set grid xtics lc rgb '#dddddd'",
                 "set style fill solid 0.9 noborder", "set key outside right top vertical"]
        plots = [f'"{folder}/{k}.dat" using 1:2:3:4 with boxxyerror lc rgb "{COLOURS[c]}" title "{c}"'
                 for k, c in enumerate(used)]
        lines.append("plot " + ", ".join(plots) if plots else 'plot 1/0 notitle')
        done = subprocess.run([gnuplot], input="\n".join(lines) + "\n", text=True, capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"gnuplot failed: {' '.join(done.stderr.split())[:300]}")


def shown(word):
    """A word of the command as the picture's title gives it: the project's files relative to it,
    the system's programs by name."""
    path = Path(word)
    if path.is_absolute() and path.is_relative_to(ROOT):
        return str(path.relative_to(ROOT))
    if path.is_absolute() and str(path.parent) in ("/usr/bin", "/bin", "/usr/local/bin"):
        return path.name
    return word


def main():
    argv = sys.argv[1:]
    parser = runner.Parser(prog="trace", description=__doc__)
    parser.add_argument("--out", required=True, help="the folder for trace.json and timeline.png (made if missing)")
    parser.add_argument("--width", type=runner.whole_number(400, 8000), default=1200, help="the picture's width in pixels")
    if "--" not in argv:
        if "-h" in argv or "--help" in argv:
            parser.print_help()
            return 0
        parser.error("the command goes after --")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("no command after --")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        parser.error(f"--out {runner.quoted(args.out)} is a file, not a folder")
    if not out.exists() and not (out.parent.is_dir() and os.access(out.parent, os.W_OK)):
        parser.error(f"cannot make --out {runner.quoted(args.out)}: its parent is not a writable folder")
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        parser.error(f"cannot write into --out {runner.quoted(args.out)}")
    if not shutil.which(command[0]) and not Path(command[0]).is_file():
        parser.error(f"{runner.quoted(command[0])}: no such command")
    missing = [p.name for p in (TOOLS / "libompt_probe.so", TOOLS / "libpmpi_probe.so", TOOLS / "libomp") if not p.exists()]
    if missing:
        parser.error(f"the probes are not built ({', '.join(missing)}): cmake --build build")
    with tempfile.TemporaryDirectory(prefix="paracon-trace-") as folder:
        wrapped, env, why = traced(command, folder)
        if wrapped is None:
            parser.error(why)
        process = subprocess.Popen(wrapped, env=env, start_new_session=True)
        try:
            code = process.wait()
        except BaseException:
            runner.stop(process)
            raise
        files = sorted(Path(folder).glob("trace-*.json"))
        events, rows, span, dropped = build(files)
    if not events:
        print(f"trace: error: the run left no trace (exit code {code}): it never started an OpenMP runtime with the "
              "probe, nor called MPI_Init", file=sys.stderr)
        return code or 1
    out.mkdir(exist_ok=True)
    runner.write_whole(out / "trace.json", json.dumps({"traceEvents": events, "displayTimeUnit": "ms",
                                                        "otherData": {"command": " ".join(command)}}) + "\n")
    title = " ".join(shown(word) for word in command)
    title = (title if len(title) <= 90 else title[:87] + "...").replace('"', "'")
    png = out / "timeline.png"
    partial = out / ".timeline.png.partial"
    draw(rows, span, partial, f"{title}: {span:.2f} s", args.width)
    partial.replace(png)
    print(f"trace: {len(rows)} tracks, {sum(1 for e in events if e['ph'] == 'X')} events over {span:.3f} s"
          + (f" ({dropped} changes beyond a million a thread not kept)" if dropped else "")
          + f": {out / 'trace.json'} (open it in https://ui.perfetto.dev), {png}", file=sys.stderr)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    runner.script(main)
