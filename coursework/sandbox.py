"""The sandbox every student build and run of a grade is made in (bubblewrap, Debian's bubblewrap
package: no daemon, no setuid; the grader stays outside it).

What a box is:
  - a user of its own: inside, uid 1000; outside, a host uid kept for this grade (60000 + a slot,
    when the grader is root, so that root's files stay out of reach: a namespace's uid 1000
    mapped to root could read root's files), or the grader's own uid otherwise;
  - the system read-only; the project, the build trees, /home, /root and every other grade's
    folder hidden, but for what the run needs, read-only: the library's headers and archives
    (a build), the program and the grader's probes (a run);
  - one writable folder, the grade's box (a size-limited tmpfs when the grader is root), and a
    /tmp, a $HOME and a /dev/shm of its own for each run, which the grader looks into afterwards
    and empties;
  - no network but a loopback of its own (a scrape exercise's bookshop is started inside, on
    127.0.0.1:8000), its own processes (whatever it leaves running ends with it), its own IPC
    and host name, a new session (no keystrokes pushed into the grader's terminal), an
    environment cleared to what the run needs;
  - limits: processes and threads, memory (cgroups, when the grader is root), CPU time per
    process, the size of each file written, open files; each reported in words when it was hit.

What it cannot stop: a program using the CPU it is given (the time limits stop it), reading what
the system lets everyone read (/usr, /etc), or timing side channels. Where the box cannot start
(no user namespaces, some containers) the grade says so at its top; --require-sandbox refuses.
"""
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(os.environ.get("PARACON_GRADES", "/var/tmp/paracon-grades"))
INIT = ROOT / "coursework" / "sandbox_init.sh"
BOOKSHOP = ROOT / "tests" / "scrape" / "bookshop.py"
BOOKSHOP_PORT = 8000

# The limits of one run, and how they read when hit.
THREADS = 512                 # processes and threads of one run
MEMORY = 6 << 30              # bytes of memory of one run (cgroups)
CPU_SECONDS = 600             # CPU time of one process
OPEN_FILES = 1024
FOLDER_BYTES = 1 << 30        # the grade's folder (a tmpfs, when the grader is root)
SLOTS = 64                    # grades at once on one machine, each its own host uid
FIRST_UID = 60000

# What of the grader's environment a run keeps: the OpenMP runtime's and the sanitizers' settings
# the grader chose, MPI's (a site may need them), the locale. Never SLURM's: inside the box an MPI
# launcher must start its ranks itself, not through a SLURM step it cannot reach.
KEPT = re.compile(r"^(PATH|LANG|LC_\w+|TERM|OMP_\w+|KMP_\w+|GOMP_\w+|OMPI_\w+|PMIX_MCA_\w+|MPICH_\w+|HYDRA_\w+|MPIR_\w+|"
                  r"PARACON_\w+|TSAN_OPTIONS|ARCHER_OPTIONS|ASAN_OPTIONS|UBSAN_OPTIONS|LD_LIBRARY_PATH|LD_PRELOAD|"
                  r"WHERE|MPIEXEC)$")


def bwrap():
    return shutil.which("bwrap")


_checked = None


def check():
    """(True, '') when a box can start on this machine, else (False, why), tried once."""
    global _checked
    if _checked is None:
        if not bwrap():
            _checked = (False, "bubblewrap is not installed (scripts/setup installs it)")
        else:
            trial = [bwrap(), "--unshare-all", "--die-with-parent", "--uid", "1000", "--gid", "1000",
                     "--ro-bind", "/", "/", "--proc", "/proc", "--dev-bind", "/dev/null", "/dev/null", "true"]
            done = subprocess.run(trial, capture_output=True, text=True, preexec_fn=drop_to(FIRST_UID + SLOTS)
                                  if os.geteuid() == 0 else None)
            why = " ".join(done.stderr.split())[:200]
            _checked = (True, "") if done.returncode == 0 else (False, f"bubblewrap cannot start a box here: {why}")
    return _checked


def drop_to(uid):
    """In a child, before exec: no groups, and the host uid and gid `uid`."""
    def drop():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return drop


class Cgroup:
    """A cgroup of one run (v1 controllers pids, memory and cpuacct, or v2), made by root: the
    kernel's count of its processes, memory and CPU time, and its limits."""

    V1 = Path("/sys/fs/cgroup")

    def __init__(self, name):
        self.paths = {}
        v2 = self.V1 / "cgroup.controllers"
        try:
            if v2.exists() and {"pids", "memory"} <= set(v2.read_text().split()):
                path = self.V1 / "paracon" / name
                path.mkdir(parents=True)
                self.paths = {"v2": path}
                (path / "pids.max").write_text(str(THREADS))
                (path / "memory.max").write_text(str(MEMORY))
                (path / "memory.swap.max").exists() and (path / "memory.swap.max").write_text("0")
            else:
                for controller in ("pids", "memory", "cpuacct"):
                    if (self.V1 / controller / "cgroup.procs").exists():
                        path = self.V1 / controller / "paracon" / name
                        path.mkdir(parents=True)
                        self.paths[controller] = path
                if "pids" in self.paths:
                    (self.paths["pids"] / "pids.max").write_text(str(THREADS))
                if "memory" in self.paths:
                    (self.paths["memory"] / "memory.limit_in_bytes").write_text(str(MEMORY))
        except OSError:
            self.remove()
            self.paths = {}

    def join(self):
        """In a child, before exec: into every controller's group."""
        for path in self.paths.values():
            (path / "cgroup.procs").write_text(str(os.getpid()))

    def read(self, controller, name):
        try:
            return (self.paths[controller] / name).read_text()
        except (KeyError, OSError):
            return ""

    def hits(self):
        """The limits the run reached, in words."""
        said = []
        if "v2" in self.paths:
            if re.search(r"^max (\d+)", self.read("v2", "pids.events"), re.M) and \
                    int(re.search(r"^max (\d+)", self.read("v2", "pids.events"), re.M).group(1)):
                said.append(f"stopped at {THREADS} processes and threads")
            if re.search(r"^oom_kill [1-9]", self.read("v2", "memory.events"), re.M):
                said.append(f"stopped: more than {MEMORY >> 30} GiB of memory")
        else:
            events = re.search(r"max (\d+)", self.read("pids", "pids.events"))
            if events and int(events.group(1)):
                said.append(f"stopped at {THREADS} processes and threads")
            if self.read("memory", "memory.failcnt").strip() not in ("", "0"):
                said.append(f"stopped: more than {MEMORY >> 30} GiB of memory")
        return said

    def cpu_seconds(self):
        if "v2" in self.paths:
            found = re.search(r"usage_usec (\d+)", self.read("v2", "cpu.stat"))
            return int(found.group(1)) / 1e6 if found else None
        usage = self.read("cpuacct", "cpuacct.usage").strip()
        return int(usage) / 1e9 if usage else None

    def remove(self):
        for path in self.paths.values():
            for _ in range(50):  # its processes are gone or going: SIGKILL what is left, then rmdir
                try:
                    for pid in (path / "cgroup.procs").read_text().split():
                        with contextlib.suppress(OSError):
                            os.kill(int(pid), 9)
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)


class Sandbox:
    """The box of one grade (see above). `box` is its writable folder, at the same path inside and
    out; run() and build() wrap a command in it."""

    def __init__(self, name):
        self.root = os.geteuid() == 0
        self.slot_file = None
        self.uid = self.take_slot() if self.root else os.getuid()
        BASE.mkdir(mode=0o711, parents=True, exist_ok=True)
        if self.root:
            BASE.chmod(0o711)  # others may not list the grades
        self.folder = Path(tempfile_dir(BASE, name))
        self.mounted = False
        if self.root:  # the whole grade in a tmpfs of bounded size: a program cannot fill the disk
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FOLDER_BYTES},mode=0711", "tmpfs",
                                   str(self.folder)], capture_output=True)
            self.mounted = done.returncode == 0
        self.box, self.tmp, self.home, self.shm = (self.folder / n for n in ("box", "tmp", "home", "shm"))
        for path in (self.box, self.tmp, self.home, self.shm):
            path.mkdir()
            if self.root:
                os.chown(path, self.uid, self.uid)
        self.runs = 0
        self.notes = []  # what the runs did that the box contained, in words
        self.staged = {}  # path -> where the box's uid can reach it (root: bind mounts in the folder)

    def take_slot(self):
        BASE.mkdir(mode=0o711, parents=True, exist_ok=True)
        for slot in range(SLOTS):
            f = open(BASE / f".slot-{slot}.lock", "a")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.close()
                continue
            self.slot_file = f
            return FIRST_UID + slot
        raise RuntimeError(f"more than {SLOTS} grades at once on this machine")

    def describe(self):
        limits = [f"{THREADS} processes and threads" if self.root else f"{THREADS} processes and threads of its uid",
                  f"{CPU_SECONDS} s of CPU a process", f"{OPEN_FILES} open files"]
        if self.root:
            limits += [f"{MEMORY >> 30} GiB of memory", f"{FOLDER_BYTES >> 30} GiB in its folder"]
        return ("sandboxed (bubblewrap): its own user, system read-only, no network but its own loopback, "
                f"writable only its folder; limits: {', '.join(limits)}")

    # --- the command line ----------------------------------------------------------------------

    def environment(self, env):
        kept = {k: v for k, v in env.items() if KEPT.match(k)}
        # The box's own places, where a site (or a test cluster) named folders of the host's.
        kept.update(HOME="/home/student", USER="student", TMPDIR="/tmp", OMPI_MCA_orte_tmpdir_base="/tmp",
                    OMPI_MCA_btl_vader_backing_directory="/dev/shm",
                    OMPI_MCA_btl_vader_single_copy_mechanism="none")  # no ptrace between ranks here
        kept.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        return kept

    def reachable(self, path):
        """A place the box's host uid can bind `path` from. As root, the project may lie where
        other users cannot go (a /root clone): it is mounted, read-only, into the grade's folder."""
        path = str(Path(path))
        if not self.root:
            return path
        if path not in self.staged:
            stage = self.folder / "ro" / str(len(self.staged))
            stage.parent.mkdir(exist_ok=True)
            if Path(path).is_dir():
                stage.mkdir()
            else:
                stage.touch()
            done = subprocess.run(["mount", "--bind", "-o", "ro", path, str(stage)], capture_output=True)
            subprocess.run(["mount", "-o", "remount,bind,ro", str(stage)], capture_output=True)
            self.staged[path] = str(stage) if done.returncode == 0 else path
        return self.staged[path]

    def wrap(self, command, env, readable=(), building=False, bookshop=None, cwd=None):
        """The line that runs `command` in the box, with `readable` paths shown read-only (as
        root: bubblewrap started as the box's host uid, by setpriv)."""
        line = ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups", "--"] if self.root else []
        line += [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--uid", "1000", "--gid", "1000",
                "--hostname", "sandbox", "--ro-bind", "/", "/"]
        hidden = ["/home", "/root", "/var/tmp", "/tmp", "/mnt", "/media", "/srv", "/opt", "/run", str(ROOT), str(BASE)]
        for path in hidden:
            if Path(path).is_dir():
                line += ["--tmpfs", path]
        # Its own /tmp and $HOME first: what it may read may lie under the host's /tmp (a handout).
        line += ["--bind", str(self.tmp), "/tmp", "--dir", "/home/student", "--bind", str(self.home), "/home/student"]
        for path in sorted({str(Path(p)) for p in list(readable) + [INIT, BOOKSHOP] if Path(p).exists()}):
            line += ["--ro-bind", self.reachable(path), path]
        line += ["--bind", str(self.box), str(self.box),
                 "--proc", "/proc", "--dir", "/dev", "--dev-bind", "/dev/null", "/dev/null"]
        if not building:  # a build reads no device: an #include of one is not a file
            line += ["--dev-bind", "/dev/urandom", "/dev/urandom", "--dev-bind", "/dev/random", "/dev/random",
                     "--bind", str(self.shm), "/dev/shm"]
        line += ["--chdir", str(cwd or self.box), "--clearenv"]
        for key, value in sorted(self.environment(env).items()):
            line += ["--setenv", key, value]
        self.runs += 1
        summary = self.box / ".sandbox" / f"run-{self.runs}.json"
        summary.parent.mkdir(exist_ok=True)
        if self.root:
            os.chown(summary.parent, self.uid, self.uid)
        init = ["/bin/sh", str(INIT), str(summary)]
        if bookshop:
            init += [str(bookshop), str(BOOKSHOP), str(BOOKSHOP_PORT)]
        return line + ["--"] + init + ["--"] + list(command), summary

    def preexec(self, cgroup, limit_output):
        """In the child that starts the box (or the checker that starts it): into the run's
        cgroup, and the limits, which the box inherits."""
        root = self.root

        def start():
            import resource
            if cgroup is not None:
                cgroup.join()
            limit_output()
            resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
            resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
            # Without cgroups, the kernel counts the processes of a uid: this grade's slot (as root),
            # or everything of the grading user's, so its count so far plus the run's share.
            now = 0 if root else len(list(Path("/proc").glob("[0-9]*")))
            resource.setrlimit(resource.RLIMIT_NPROC, (THREADS + now, THREADS + now))
        return start

    def cgroup(self):
        if not self.root:
            return None
        group = Cgroup(f"{self.folder.name}-{self.runs + 1}")
        return group if group.paths else None

    # --- after a run ---------------------------------------------------------------------------

    def look(self, summary, cgroup, code):
        """What the run did that the box contained, in words (also kept in self.notes)."""
        said = list(cgroup.hits()) if cgroup else []
        try:
            data = json.loads(summary.read_text())
        except (OSError, ValueError):
            data = {}
        left = data.get("left_running", [])
        if left:
            said.append(f"left {len(left)} process(es) running ({', '.join(left[:3])}): stopped with its box")
        if code == -24:
            said.append(f"stopped: more than {CPU_SECONDS} s of CPU time")
        for place, path in (("/tmp", self.tmp), ("$HOME", self.home), ("/dev/shm", self.shm)):
            names = sorted(p.name for p in path.iterdir() if not p.name.startswith(("ompi.", "openmpi-sessions")))
            names = [n for n in names if not n.startswith(("vader_segment", "__KMP_REGISTERED_LIB", "shm-", "mpich_"))]
            if names:
                said.append(f"wrote {', '.join(names[:3])}{' ...' if len(names) > 3 else ''} in its own {place} "
                            "(gone with its box)")
        if self.mounted and shutil.disk_usage(self.folder).free < (16 << 20):
            said.append(f"filled its {FOLDER_BYTES >> 30} GiB folder")
        for path in (self.tmp, self.home, self.shm):  # every run its own, empty
            for entry in path.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        for note in said:
            if note not in self.notes:
                self.notes.append(note)
        return said

    def close(self):
        for stage in self.staged.values():
            if stage.startswith(str(self.folder)):
                subprocess.run(["umount", "-l", stage], capture_output=True)
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.slot_file:
            self.slot_file.close()


def tempfile_dir(base, name):
    import tempfile
    return tempfile.mkdtemp(prefix=f"{name}-", dir=base)
