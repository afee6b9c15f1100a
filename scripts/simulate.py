#!/usr/bin/env python3
"""Runs an MPI program on a simulated cluster: SimGrid's SMPI, as mpirun runs it on this machine.

    scripts/simulate -n RANKS [--platform FILE] [--speed S] [--] PROGRAM [ARGUMENTS...]
    scripts/simulate --version

PROGRAM is an MPI program of the SMPI build (scripts/setup smpi builds build-smpi/mpi/<name>):

    scripts/simulate -n 1024 build-smpi/mpi/range_sum 16e9 --mode split

SMPI runs every rank, in one process, on this machine, one at a time: each stretch of a rank's own
code between two MPI calls is run and its CPU time measured, and the simulated clock moves on by
that time (divided by --speed); each message crosses the simulated network (links, switches,
their bandwidth and latency). The program's MPI_Wtime reads the simulated clock, so its report
is the simulated cluster's. The wall time of the simulation is about that of one rank doing all
the ranks' work.

The platform (default simulation/cluster.xml: 64 nodes of 16 cores on InfiniBand HDR, the
figures and their sources in the file) gets one rank per core, filling each node's cores before
the next, as srun places 16 tasks per node. --speed S: a simulated core runs the program's code
S times as fast as this machine ran it (default 1; scripts/scaling.py --simulate measures it).

The program's own --help is passed to it as -h (SimGrid would take --help for itself). Exit code:
the program's (0 validated, 1 failed, 2 bad input); 2 with one line for a bad command line here.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = ROOT / "simulation" / "cluster.xml"
MOST_RANKS = 1 << 20

# How SimGrid is told to run: Open MPI's choices of collective algorithm (the simulated cluster
# runs Open MPI), but a binomial tree for MPI_Bcast and MPI_Reduce. SimGrid 3.32's Open MPI
# broadcast takes 40 s of simulation at 1024 ranks where the tree takes 1 s, and its Open MPI
# reduction aborts on a single rank ("Actor pid=-1 is gone"). Each rank has its own copy of the
# program's globals (privatization: the program is loaded once per rank). Only SimGrid's errors
# reach stderr, beside the program's own lines.
SETTINGS = ["--cfg=smpi/privatization:1", "--cfg=surf/precision:1e-9", "--cfg=network/model:SMPI",
            "--cfg=smpi/coll-selector:ompi", "--cfg=smpi/bcast:binomial_tree", "--cfg=smpi/reduce:binomial",
            "--log=root.thres:error"]

UNITS = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15, "e": 1e18}


class Refusal(Exception):
    """A bad command line, platform or program: one line, exit code 2."""


def smpimain():
    """SimGrid's runner, which smpirun calls: in the library folder pkg-config names."""
    for folder in ([subprocess.run(["pkg-config", "--variable=libdir", "simgrid"], capture_output=True,
                                   text=True).stdout.strip()] if shutil.which("pkg-config") else []) + \
            ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"]:
        candidate = Path(folder or "/nonexistent") / "simgrid" / "smpimain"
        if candidate.is_file():
            return candidate
    raise Refusal("SimGrid's smpimain is not installed: scripts/setup smpi installs libsimgrid-dev")


def version():
    found = subprocess.run(["pkg-config", "--modversion", "simgrid"], capture_output=True, text=True) \
        if shutil.which("pkg-config") else None
    return found.stdout.strip() if found and found.returncode == 0 else "unknown"


def flops(text, where):
    """A SimGrid speed ("1Gf", "2.5e9f", "100flops"; the first of a list of power states)."""
    first = text.split(",")[0].strip()
    match = re.fullmatch(r"([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([kKmMgGtTpPeE]?)(?:f|flops)", first)
    if not match:
        raise Refusal(f"{where}: cannot read the speed {first[:40]!r} (write 1Gf or 2.5e9f)")
    value = float(match.group(1)) * UNITS[match.group(2).lower()]
    if not 0 < value < float("inf"):
        raise Refusal(f"{where}: the speed {first[:40]!r} is not a positive number of flop/s")
    return value


def radical(text, where):
    """A cluster's numbers: "0-63" or "0-3,7,9-10"."""
    numbers = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise Refusal(f"{where}: cannot read the radical {text[:40]!r}")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if high - low > MOST_RANKS:
            raise Refusal(f"{where}: the radical {text[:40]!r} names too many hosts")
        numbers.extend(range(low, high + 1))
    return numbers


def platform_hosts(path):
    """[(host name, cores)] in the order the platform declares them, and the first host's speed."""
    where = str(path)
    try:
        tree = ElementTree.parse(path)
    except (OSError, ElementTree.ParseError) as e:
        raise Refusal(f"--platform: {where} is not a readable SimGrid platform: {getattr(e, 'strerror', None) or e}")
    hosts, speed = [], None
    for element in tree.getroot().iter():
        if element.tag == "host":
            names = [element.get("id", "")]
        elif element.tag == "cluster":
            names = [f"{element.get('prefix', '')}{n}{element.get('suffix', '')}"
                     for n in radical(element.get("radical", ""), where)]
        else:
            continue
        try:
            cores = int(element.get("core", "1"))
        except ValueError:
            raise Refusal(f"{where}: a host's core count {element.get('core')[:20]!r} is not a number") from None
        if cores < 1:
            raise Refusal(f"{where}: a host with {cores} cores")
        if speed is None:
            speed = flops(element.get("speed", ""), where)
        hosts += [(name, cores) for name in names]
    if not hosts:
        raise Refusal(f"--platform: {where} declares no host")
    return hosts, speed


def with_node_links(platform, bandwidth, latency, path):
    """Writes to `path` the platform with the links inside each of its clusters' nodes (the
    loopback a rank's message to a rank of the same node crosses) set to `bandwidth` (bytes per
    second) and `latency` (seconds); returns how many clusters it changed (0: none to change, the
    file is copied as it was)."""
    text = Path(platform).read_text()
    changed = 0
    old_links = re.compile(r"""\s(?:loopback_bw|loopback_lat)\s*=\s*(?:"[^"]*"|'[^']*')""")

    def node_links(match):
        nonlocal changed
        changed += 1
        tag = old_links.sub("", match.group(0))
        closing = "/>" if tag.endswith("/>") else ">"
        return f'{tag[:-len(closing)].rstrip()} loopback_bw="{bandwidth:.6g}Bps" loopback_lat="{latency:.6g}s"{closing}'
    text = re.sub(r"<cluster\b[^>]*>", node_links, text)
    Path(path).write_text(text)
    return changed


def program_kind(path):
    """Refuses what smpimain could not load: SMPI needs a shared object, and a program of the
    release build is an executable (it has an interpreter)."""
    shown = str(path)
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2:
                raise Refusal(f"{shown} is not a 64-bit ELF program")
            phoff = int.from_bytes(head[32:40], "little")
            phentsize, phnum = int.from_bytes(head[54:56], "little"), int.from_bytes(head[56:58], "little")
            f.seek(phoff)
            table = f.read(phentsize * phnum)
    except OSError as e:
        raise Refusal(f"cannot read the program {shown}: {e.strerror}") from None
    kinds = {int.from_bytes(table[k:k + 4], "little") for k in range(0, len(table), phentsize or 1)}
    if 3 in kinds:  # PT_INTERP: an executable
        raise Refusal(f"{shown} is an executable of a real MPI build: SMPI loads the SMPI build's shared objects "
                      "(scripts/setup smpi; then build-smpi/mpi/NAME)")


def command(program, arguments, ranks, platform=PLATFORM, speed=1.0, folder=None):
    """The smpimain command line and its environment, and the hostfile written into `folder`."""
    program = Path(program)
    if not program.is_file():
        hybrid = " (the hybrid programs are not in it: SMPI provides MPI_THREAD_SINGLE)" if "hybrid" in program.parts else ""
        raise Refusal(f"no program {str(program)[:200]!r}: scripts/setup smpi builds build-smpi/mpi/NAME{hybrid}")
    program_kind(program)
    if not (0 < speed < float("inf")):
        raise Refusal(f"--speed {speed}: give a positive number")
    hosts, host_speed = platform_hosts(platform)
    slots = [name for name, cores in hosts for _ in range(cores)]
    if ranks > len(slots):
        raise Refusal(f"-n {ranks}: the platform {Path(platform).name} has {len(slots)} cores, one rank to a core")
    hostfile = Path(folder) / "hostfile"
    hostfile.write_text("".join(f"{name}\n" for name in slots[:ranks]))
    line = [str(smpimain()), str(program.resolve())] + SETTINGS + [
        f"--cfg=smpi/np:{ranks}", f"--cfg=smpi/hostfile:{hostfile}", f"--cfg=smpi/tmpdir:{folder}",
        # the CPU time a stretch of code took here becomes simulated time, at `speed` times the pace
        f"--cfg=smpi/host-speed:{host_speed / speed!r}", str(Path(platform).resolve())]
    line += ["-h" if a == "--help" else a for a in arguments]
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = ":".join(p for p in (str(folder), env.get("LD_LIBRARY_PATH", "")) if p)
    return line, env


def run(program, arguments, ranks, platform=PLATFORM, speed=1.0, timeout=None):
    """Runs a simulation to its end: (exit code, stdout, stderr, peak memory of the simulation in
    bytes). A simulation that outlives `timeout` seconds is killed: exit code None."""
    with tempfile.TemporaryDirectory(prefix="paracon-smpi-") as folder:
        line, env = command(program, arguments, ranks, platform, speed, folder)
        process = subprocess.Popen(line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                   start_new_session=True)
        streams = {}
        readers = [threading.Thread(target=lambda name=name: streams.__setitem__(name, getattr(process, name).read()))
                   for name in ("stdout", "stderr")]
        expired = []

        def too_late():
            expired.append(True)
            os.killpg(process.pid, signal.SIGKILL)
        late = threading.Timer(timeout, too_late) if timeout else None
        try:
            for reader in readers:
                reader.start()
            if late:
                late.start()
            _, status, usage = os.wait4(process.pid, 0)  # the simulation's own figures, not a sum
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            if late:
                late.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        for reader in readers:
            reader.join()
    code = None if expired else process.returncode
    return code, streams.get("stdout", ""), streams.get("stderr", ""), usage.ru_maxrss * 1024


def main():
    parser = argparse.ArgumentParser(prog="simulate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.error = lambda message: parser.exit(2, f"simulate: error: {' '.join(message.split())[:300]} (see --help)\n")
    parser.add_argument("-n", "-np", dest="ranks", type=int, metavar="RANKS", help="simulated ranks")
    parser.add_argument("--platform", type=Path, default=PLATFORM, help="a SimGrid platform (default: %(default)s)")
    parser.add_argument("--speed", type=float, default=1.0, help="a simulated core's speed against this machine's")
    parser.add_argument("--version", action="store_true", help="SimGrid's version")
    parser.add_argument("program", nargs="?", help="build-smpi/mpi/NAME")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the program's")
    args = parser.parse_args()
    if args.version:
        print(f"scripts/simulate: SimGrid SMPI {version()}")
        return 0
    if args.ranks is None or not 1 <= args.ranks <= MOST_RANKS:
        parser.error(f"-n RANKS: give a number of ranks from 1 to {MOST_RANKS}")
    if not args.program:
        parser.error("no program: give build-smpi/mpi/NAME and its arguments")
    with tempfile.TemporaryDirectory(prefix="paracon-smpi-") as folder:
        try:
            line, env = command(args.program, args.arguments, args.ranks, args.platform, args.speed, folder)
        except Refusal as e:
            print(f"simulate: error: {e}", file=sys.stderr)
            return 2
        # The simulation in a session of its own: Ctrl-C (or SIGTERM) reaches this script alone,
        # which ends the whole simulation at once and says so, as the project's scripts do.
        process = subprocess.Popen(line, env=env, start_new_session=True)

        def interrupted(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, interrupted)
        try:
            code = process.wait()
        except KeyboardInterrupt:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            print("simulate: interrupted", file=sys.stderr)
            return 130
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
