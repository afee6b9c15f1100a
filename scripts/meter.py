"""The kernel's view of a running command, from outside it: every few milliseconds, each process
of the command (the processes of a cgroup, or the descendants of a pid) with its threads, their
states (running or ready to run: R) and their CPU time, from /proc. What the grader checks the
probes' account against, and what scripts/cpu draws.

    with Meter(pid=process.pid) as meter:      # or Meter(cgroup_procs=path)
        ...                                    # the command runs
    meter.samples   [(seconds since start, {pid: (comm, threads, running threads, cpu seconds)})]
"""
import os
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def stat_of(path):
    """(state letter, user + system CPU seconds) from a /proc/.../stat file, or None."""
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return rest[0], (int(rest[11]) + int(rest[12])) / TICKS


def children_of(root):
    """The pids descending from `root` (itself included), by the parents /proc names."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        parents.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def namespace_pid(pid):
    """The pid a process has in its own (innermost) PID namespace: the last of NSpid."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    except (OSError, ValueError):
        pass
    return pid


class Meter:
    """Samples a command's processes every `period` seconds in a thread of its own."""

    def __init__(self, pid=None, cgroup_procs=None, period=0.02):
        self.pid, self.cgroup_procs, self.period = pid, cgroup_procs, period
        self.samples = []
        self.programs = {}  # host pid -> (pid in its namespace, the file it runs)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def pids(self):
        if self.cgroup_procs:
            try:
                return [int(p) for p in Path(self.cgroup_procs).read_text().split()]
            except OSError:
                return []
        return children_of(self.pid) if self.pid else []

    def sample(self):
        seen = {}
        for pid in self.pids():
            try:  # read at every sample: a process first seen as `env` or a shell may exec the program
                exe = os.readlink(f"/proc/{pid}/exe")
            except OSError:
                continue
            known = self.programs.get(pid)
            self.programs[pid] = (known[0] if known else namespace_pid(pid), exe)
            threads, running, cpu = 0, 0, 0.0
            comm = ""
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                for task in Path(f"/proc/{pid}/task").iterdir():
                    state = stat_of(task / "stat")
                    if state:
                        threads += 1
                        running += state[0] == "R"
                        cpu += state[1]
            except OSError:
                continue
            seen[pid] = (comm, threads, running, cpu)
        self.samples.append((time.monotonic() - self.start, seen))

    def _loop(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.period)

    def __enter__(self):
        self.start = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def of_program(self, path):
        """Namespace pids of the processes that ran `path`."""
        return {ns for ns, exe in self.programs.values() if exe == str(path)}

    def share_together(self, path):
        """The share of the samples at which two or more threads of a process running `path` were
        running or ready to run, over the samples at which it had two or more threads."""
        mine = {pid for pid, (_, exe) in self.programs.items() if exe == str(path)}
        teams = together = 0
        for _, seen in self.samples:
            for pid, (_, threads, running, _) in seen.items():
                if pid in mine and threads >= 2:
                    teams += 1
                    together += running >= 2
        return (together / teams if teams else 0.0), teams
