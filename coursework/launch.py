"""How the grader runs things: in a session of their own, output capped, under a time limit, in an
environment the grader chose (nothing from the grader's own shell steers a graded run), with the
kernel's count of the CPU time the run and all it started used.
"""
import contextlib
import fcntl
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import runner  # noqa: E402  how to launch MPI, Open MPI's settings, stopping a run
sys.path.insert(0, str(ROOT / "tests"))
# The checks' capped output (a run that prints for ever is stopped), and how a run ended, in words.
from checks.common import exit_status, limit_output, read_capped  # noqa: E402,F401

import evidence  # noqa: E402


@dataclass
class Outcome:
    code: object                   # exit code, None when killed at its time limit
    stdout: str
    stderr: str
    seconds: float
    hang: str = ""                 # who was still running, when killed
    cpu_seconds: float = 0.0       # user + system time of the run and every process it waited for
    pid: int = 0                   # the run's first process: its session's number


# What would steer a run from the grader's own shell: the OpenMP runtimes' settings, the
# sanitizers' options, preloaded libraries. A grade must not depend on who grades it
# (OMP_THREAD_LIMIT=1 in a profile failed every reference solution's parallel criterion), so the
# runs start without them; the MPI library's settings stay (a site may need them to run at all).
STEERING = re.compile(r"^(OMP_|KMP_|GOMP_|LD_PRELOAD$|LD_AUDIT$|[A-Z]+SAN_OPTIONS$|ARCHER_OPTIONS$|PARACON_)")


def clean_environment():
    return {k: v for k, v in os.environ.items() if not STEERING.match(k)}


# Every option of the tools the verdicts rest on, set here: a file cannot set them (it may not
# define the sanitizers' hooks, see rules.py), and neither can the grader's shell.
RACE_OPTIONS = ("report_bugs=1 halt_on_error=0 exitcode=66 ignore_noninstrumented_modules=1 log_path=stderr "
                "suppressions= report_atomic_races=1 ignore_interceptors_accesses=0 force_seq_cst_atomics=0 "
                "print_suppressions=0 verbosity=0")
QUIET_OPTIONS = "report_bugs=0 exitcode=0 halt_on_error=0 ignore_noninstrumented_modules=1 log_path=stderr"


def race_environment(archer):
    """The race run: ThreadSanitizer through LLVM's Archer, reporting every race it sees."""
    return {"OMP_TOOL": "enabled", "OMP_TOOL_LIBRARIES": str(archer), "TSAN_OPTIONS": RACE_OPTIONS,
            "ARCHER_OPTIONS": "enable=1 ignore_serial=0 report_data_leak=0 verbose=0"}


def probe_environment(probe_dir, ompt=None):
    """A run watched by the probes: the OMPT tool (for a clang++ build), the evidence folder, and a
    ThreadSanitizer that stays quiet (that run judges no race)."""
    env = {"PARACON_PROBE_DIR": str(probe_dir), "TSAN_OPTIONS": QUIET_OPTIONS}
    if ompt:
        env.update(OMP_TOOL="enabled", OMP_TOOL_LIBRARIES=str(ompt))
    return env


def wait_accounted(process, timeout):
    """Waits for the process like Popen.wait, and returns (exit code, CPU seconds): its rusage,
    which counts every descendant it waited for (an MPI launcher's ranks). Raises TimeoutExpired."""
    deadline = time.monotonic() + timeout
    try:
        fd = os.pidfd_open(process.pid)  # readable when the process ends (Linux 5.3)
    except (AttributeError, OSError):
        fd = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(process.args, timeout)
            if fd is not None:
                select.select([fd], [], [], left)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                return process.returncode, usage.ru_utime + usage.ru_stime
            if fd is None:
                time.sleep(min(0.01, max(0.0, left)))
    finally:
        if fd is not None:
            os.close(fd)


def run(command, env, timeout, probe_dir=None, preexec=None, cwd=None, meter=None):
    """Runs a command in its own process group; at the time limit, reads from the PMPI probe's
    status files which ranks were still running, and where, then stops the group. `preexec` runs
    in the child before exec (it must cap the output as limit_output does); `meter` (meter.Meter)
    watches the run from outside while it runs."""
    start = time.perf_counter()
    # The output goes to files, capped (a program that prints for ever is stopped by SIGXFSZ),
    # never to this process's memory.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, env=env, start_new_session=True,
                                   preexec_fn=preexec or limit_output, cwd=cwd, stdin=subprocess.DEVNULL)
        cpu, hang = 0.0, ""
        if meter is not None:
            meter.pid = meter.pid or process.pid
            meter.__enter__()
        try:
            code, cpu = wait_accounted(process, timeout)
            seconds = time.perf_counter() - start
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the run is in a session of its own, end it too
            runner.stop(process)
            raise
        except subprocess.TimeoutExpired:
            code, hang = None, evidence.hang_report(probe_dir) or "no MPI status was recorded"
            seconds = time.perf_counter() - start
            runner.stop(process)
        finally:
            if meter is not None:
                meter.__exit__(None, None, None)
        out, err = (read_capped(f) for f in (out_file, err_file))
    return Outcome(code, out, err, seconds, hang, cpu, process.pid)


@contextlib.contextmanager
def locked(path, waiting=None):
    """An exclusive lock on a file (flock: the system drops it if this process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
