#!/usr/bin/env python3
"""A CPU meter: runs a command and samples, 50 times a second, each CPU's busy share (/proc/stat)
and the CPU time of the command's processes and threads (/proc/PID/task/*; an MPI launcher's
ranks are its children and count too). Draws each CPU over time, as htop shows them.

    scripts/cpu [--hz N] [--png FILE] [--csv FILE] [--json [FILE]] [--title TEXT] -- COMMAND...

cpus_busy is the command's CPU seconds (the kernel's count for it and every process it waited
for) per wall second: 1 for one core kept busy, 2 for two. The command's own output passes
through; the meter's summary goes to stderr, or with --json to stdout (or FILE).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import meter  # noqa: E402
import runner  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times():
    """{cpu number: (busy jiffies, all jiffies)} from /proc/stat."""
    found = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name != "cpu":
            numbers = [int(v) for v in values[:8]]
            idle = numbers[3] + numbers[4]  # idle, iowait
            found[int(name[3:])] = (sum(numbers) - idle, sum(numbers))
    return found


@dataclass
class Measure:
    command: list
    seconds: float = 0.0
    cpu_seconds: float = 0.0          # of the command and what it waited for (rusage)
    code: object = None
    samples: list = field(default_factory=list)  # (t, {cpu: busy share}, CPUs the command used since the last sample)

    @property
    def cpus_busy(self):
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    def report(self):
        return {"command": self.command, "seconds": round(self.seconds, 4), "cpu_seconds": round(self.cpu_seconds, 4),
                "cpus_busy": round(self.cpus_busy, 3), "exit_code": self.code, "cpus": len(cpu_times()),
                "samples": [{"t": round(t, 4), "cpus": {str(k): round(v, 3) for k, v in busy.items()},
                             "command_cpus": round(used, 3)} for t, busy, used in self.samples]}


def measure(command, env=None, hz=50, stdout=None, stderr=None):
    """Runs COMMAND under the meter; returns its Measure."""
    result = Measure(list(command))
    period = 1 / hz
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr, start_new_session=True)
    stop = threading.Event()

    def sample():
        last_cpus, last_tree, last_t = cpu_times(), 0.0, 0.0
        tree_pids, count = [], 0
        while not stop.wait(period):
            # The command's processes, looked for among all of /proc five times a second (the
            # meter's own CPU time is the machine's too: a scan at every sample took a third of a
            # CPU); their threads are read at every sample.
            if count % 10 == 0:
                tree_pids = meter.children_of(process.pid)
            count += 1
            now = time.monotonic() - start
            cpus = cpu_times()
            busy = {k: max(0.0, min(1.0, (b - last_cpus[k][0]) / max(1, a - last_cpus[k][1])))
                    for k, (b, a) in cpus.items() if k in last_cpus}
            tree = 0.0
            for pid in tree_pids:
                for task in Path(f"/proc/{pid}/task").glob("*"):
                    stat = meter.stat_of(task / "stat")
                    if stat:
                        tree += stat[1]
            used = max(0.0, tree - last_tree) / max(1e-9, now - last_t)
            result.samples.append((now, busy, used))
            last_cpus, last_tree, last_t = cpus, tree, now
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        runner.stop(process)
        raise
    finally:
        stop.set()
        thread.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    result.seconds = time.monotonic() - start
    result.cpu_seconds = usage.ru_utime + usage.ru_stime
    result.code = process.returncode
    return result


def draw(panels, png, title="", size=(1000, 0)):
    """One PNG: a column per (label, Measure), a row per CPU, each CPU's busy share over time as
    bars (htop's way), and a last row with the CPUs the command used; each column's title gives
    its cpus_busy. Returns False without gnuplot."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return False
    # every CPU of the machine, even for a run too short to be sampled (it ended within 20 ms)
    cpus = sorted({k for _, m in panels for _, busy, _ in m.samples for k in busy} | set(cpu_times()))
    rows = len(cpus) + 1
    width, height = size[0], size[1] or 170 * rows + 80
    with tempfile.TemporaryDirectory() as folder:
        lines = [f'set terminal pngcairo size {width},{height} font ",10" noenhanced', f'set output "{png}"',
                 f'set multiplot layout {rows},{len(panels)} title "{title}" font ",13"',
                 "set style fill solid 0.85 noborder", "set grid ytics lc rgb '#dddddd'", "unset key"]
        for k, (label, m) in enumerate(panels):
            data = Path(folder) / f"{k}.dat"
            with open(data, "w") as f:
                last = 0.0
                for t, busy, used in m.samples:
                    f.write(" ".join([f"{t:.4f}", f"{t - last:.4f}"] + [f"{100 * busy.get(c, 0):.1f}" for c in cpus]
                                     + [f"{used:.3f}"]) + "\n")
                    last = t
            end = max(m.seconds, 1e-3)
            panels[k] = (label, m, data, end)
        for row in range(rows):
            for k, (label, m, data, end) in enumerate(panels):
                first = row == 0
                top = f'{label}: {m.cpus_busy:.2f} CPUs busy ({m.cpu_seconds:.2f} CPU s in {m.seconds:.2f} s)'
                lines.append(f'set title "{top}" font ",11"' if first else "unset title")
                lines.append(f"set xrange [0:{end:.3f}]")
                lines.append('set xlabel "seconds"' if row == rows - 1 else "unset xlabel")
                if row < len(cpus):
                    lines += ["set yrange [0:100]", f'set ylabel "CPU {cpus[row]} %"',
                              f'plot "{data}" using ($1-$2/2):{3 + row}:2 with boxes lc rgb "#2e8b57"']
                else:
                    lines += [f"set yrange [0:{max(len(cpus), 1) + 0.2}]", 'set ylabel "CPUs used"',
                              f'plot "{data}" using ($1-$2/2):{3 + len(cpus)}:2 with boxes lc rgb "#4169e1"']
        lines.append("unset multiplot")
        done = subprocess.run([gnuplot], input="\n".join(lines) + "\n", text=True, capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"gnuplot failed: {done.stderr.strip()[:300]}")
    return True


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        argv_help = runner.Parser(prog="cpu", description=__doc__)
        argv_help.add_argument("--hz")
        if "-h" in argv or "--help" in argv:
            argv_help.print_help()
            return 0
        argv_help.error("the command goes after --")
    split = argv.index("--")
    parser = runner.Parser(prog="cpu", description=__doc__)
    parser.add_argument("--hz", type=runner.whole_number(1, 1000), default=50, help="samples a second (default 50)")
    parser.add_argument("--png", type=runner.output_file, help="draw each CPU over time into FILE")
    parser.add_argument("--csv", type=runner.output_file, help="every sample as CSV")
    parser.add_argument("--json", nargs="?", const="-", help="the measure as JSON (on stdout, or into FILE)")
    parser.add_argument("--title", default="", help="the picture's title (default: the command)")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("no command after --")
    if args.json and args.json != "-":
        runner.output_file(args.json)
    if not shutil.which(command[0]) and not Path(command[0]).exists():
        parser.error(f"{runner.quoted(command[0])}: no such command")
    quiet = args.json == "-"
    m = measure(command, hz=args.hz, stdout=subprocess.DEVNULL if quiet else None)
    report = m.report()
    if args.csv:
        cpus = sorted({k for _, busy, _ in m.samples for k in busy})
        rows = ["t," + ",".join(f"cpu{c}" for c in cpus) + ",command_cpus"]
        rows += [f"{t:.4f}," + ",".join(f"{busy.get(c, 0):.3f}" for c in cpus) + f",{used:.3f}"
                 for t, busy, used in m.samples]
        runner.write_whole(args.csv, "\n".join(rows) + "\n")
    if args.png:
        draw([(args.title or " ".join(command)[:60], m)], args.png)
    if args.json == "-":
        print(json.dumps(report))
    elif args.json:
        runner.write_whole(args.json, json.dumps(report, indent=1) + "\n")
    print(f"cpu: {m.cpus_busy:.2f} CPUs busy: {m.cpu_seconds:.2f} CPU seconds in {m.seconds:.2f} s "
          f"(exit code {m.code})" + (f"; picture: {args.png}" if args.png else ""), file=sys.stderr)
    return m.code if isinstance(m.code, int) and m.code >= 0 else 1


if __name__ == "__main__":
    runner.script(main)
