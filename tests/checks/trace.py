"""trace: scripts/trace on a program: a timeline Perfetto can open (Chrome's trace event format:
each complete event "X" with ts and dur in microseconds, pid and tid, properly nested on its
thread; process and thread names as metadata events "M"), what ran on each track, and a PNG of
the size drawn.

    trace --threads 2 -- env OMP_NUM_THREADS=2 build/openmp/range_sum 4e9
        one process, 2 thread tracks, each with a parallel region, the two at the same time
    trace --ranks 2 --call MPI_Reduce -- mpiexec -n 2 build/mpi/range_sum 4e9 --mode split
        2 rank tracks, each with the call (and its partner and bytes)
"""
import json
import struct
import tempfile
from collections import defaultdict
from pathlib import Path

from checks.common import exit_status, fail, run, with_bookshop

TRACE = Path(__file__).resolve().parents[2] / "scripts" / "trace"


def add_arguments(parser):
    parser.add_argument("--threads", type=int, help="the thread tracks of the one process, each with a region")
    parser.add_argument("--ranks", type=int, help="the rank tracks, each with the --call")
    parser.add_argument("--call", default="MPI_Reduce", help="the MPI call every rank makes")
    parser.add_argument("--width", type=int, default=1200, help="the picture's width given to scripts/trace")
    parser.add_argument("--threads-seen", type=int, help="one process, with at least this many thread tracks")
    parser.add_argument("--bookshop", help="the folder of the bookshop whose URL replaces {bookshop} in COMMAND")


def png_size(path):
    data = Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail(f"{path} is not a PNG")
    return struct.unpack(">II", data[16:24])


def nested(events, where):
    """Complete events on one thread either hold one another or do not meet (Chrome's rule)."""
    open_ends = []
    for e in sorted(events, key=lambda e: (e["ts"], -e["dur"])):
        while open_ends and open_ends[-1] <= e["ts"] + 1e-3:
            open_ends.pop()
        if open_ends and e["ts"] + e["dur"] > open_ends[-1] + 1e-3:
            fail(f"{where}: '{e['name']}' at {e['ts']} us overlaps the end of the event it starts in")
        open_ends.append(e["ts"] + e["dur"])


def check(args, command):
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "trace"
        command = with_bookshop(command, args.bookshop)
        result = run([str(TRACE), "--out", str(out), "--width", str(args.width), "--"] + command, timeout=600)
        if result.returncode != 0:
            fail(f"scripts/trace: expected exit code 0, got {exit_status(result.returncode)}", result)
        try:
            trace = json.loads((out / "trace.json").read_text())
        except (OSError, json.JSONDecodeError) as e:
            fail(f"trace.json is not JSON: {e}", result)
        events = trace.get("traceEvents")
        if not isinstance(events, list) or not events:
            fail("trace.json has no traceEvents list", result)
        names, threads, by_thread = {}, defaultdict(dict), defaultdict(list)
        for e in events:
            if e.get("ph") not in ("X", "M") or not isinstance(e.get("pid"), int) or not isinstance(e.get("tid"), int):
                fail(f"not a complete or metadata event with an integer pid and tid: {e}")
            if e["ph"] == "M":
                if e["name"] == "process_name":
                    names[e["pid"]] = e["args"]["name"]
                elif e["name"] == "thread_name":
                    threads[e["pid"]][e["tid"]] = e["args"]["name"]
                continue
            if not all(isinstance(e.get(k), (int, float)) and e[k] >= 0 for k in ("ts", "dur")) or not e.get("name"):
                fail(f"a complete event needs a name, and ts and dur >= 0 in microseconds: {e}")
            by_thread[(e["pid"], e["tid"])].append(e)
        for (pid, tid), mine in by_thread.items():
            if tid not in threads[pid]:
                fail(f"events on thread {tid} of {pid}, which has no thread_name")
            nested(mine, f"{names.get(pid, pid)}, {threads[pid][tid]}")
        tracks = len(by_thread)
        if args.threads:
            if len(names) != 1:
                fail(f"expected one process, the trace has {len(names)}: {sorted(names.values())}")
            (pid,) = names
            regions = {tid: [e for e in by_thread[(pid, tid)] if e["name"] == "parallel region"] for tid in threads[pid]}
            having = [tid for tid, found in regions.items() if found]
            if len(having) != args.threads:
                fail(f"expected {args.threads} thread tracks with a parallel region, found {len(having)}: "
                     f"{[threads[pid][t] for t in having]}")
            longest = [max(regions[t], key=lambda e: e["dur"]) for t in having]
            start, end = max(e["ts"] for e in longest), min(e["ts"] + e["dur"] for e in longest)
            if end - start < 0.5 * min(e["dur"] for e in longest):
                fail("the threads' longest regions did not run at the same time: "
                     f"{[(e['ts'], e['dur']) for e in longest]}")
            print(f"ok: {args.threads} thread tracks, each with its parallel region, at the same time")
        if args.threads_seen:
            seen = {tid for (pid, tid) in by_thread}
            if len(names) != 1 or len(seen) < args.threads_seen:
                fail(f"expected one process with at least {args.threads_seen} thread tracks, the trace has "
                     f"{sorted(names.values())} with {len(seen)}")
        if args.ranks:
            ranks = sorted(v for v in names.values() if v.startswith("rank "))
            if len(ranks) != args.ranks or len(names) != args.ranks:
                fail(f"expected {args.ranks} rank tracks, the trace has {sorted(names.values())}")
            for pid, name in names.items():
                calls = [e for (p, _), mine in by_thread.items() if p == pid for e in mine if e["name"] == args.call]
                if not calls:
                    fail(f"{name} has no {args.call}")
                if not any("bytes" in e.get("args", {}).get("call", "") for e in calls):
                    fail(f"{name}'s {args.call} does not say its bytes: {calls[0]}")
            print(f"ok: {args.ranks} rank tracks, each with its {args.call}")
        width, height = png_size(out / "timeline.png")
        if (width, height) != (args.width, 150 + 46 * tracks):
            fail(f"timeline.png is {width}x{height}, drawn for {args.width}x{150 + 46 * tracks}")
        print(f"ok: trace.json in Chrome's trace event format ({len(events)} events on {tracks} tracks), "
              f"timeline.png {width}x{height}")
