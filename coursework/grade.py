"""The grader: builds a student's file as the program it replaces is built, runs it, and proves
five things, each a criterion with its evidence:

  builds     g++ (the release build) and, for OpenMP, clang++ with ThreadSanitizer compile it
             without a warning in the student's file
  correct    the project's own checks (tests/checks/<experiment>.py, values computed there with
             Python's integers) hold at 1 to 4 threads or ranks, at sizes no worker count divides
  parallel   the runtime saw the work shared: for OpenMP an OMPT tool inside LLVM's libomp
             measures each thread's time in the program's own code inside parallel regions; for
             MPI a PMPI layer counts each rank's calls and bytes and its time outside MPI. What
             the program prints is never the evidence. The speedup is measured and reported,
             never graded (a shared machine makes it noise)
  race-free  the clang++ build under LLVM's Archer reports no data race
  no hang    every run ended within its time limit; a hang names the ranks still running, and
             the MPI call each was in

Each exercise's runs, sizes and thresholds are in coursework/exercises/<exercise>.toml.
"""
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import runner  # noqa: E402  how to launch MPI, Open MPI's settings
sys.path.insert(0, str(ROOT / "tests"))
# The checks' capped output (a run that prints for ever is stopped), and how a run ended, in words.
from checks.common import exit_status, limit_output, read_capped  # noqa: E402

BUILD, ARCHER = ROOT / "build", ROOT / "build-archer"
CHECK = ROOT / "tests" / "check_program.py"
NAMES = {"builds": "builds", "correct": "correct", "parallel": "parallel", "race_free": "race-free",
         "no_hang": "no hang"}
DEFAULT_CRITERIA = {"openmp": ["builds", "correct", "parallel", "race_free", "no_hang"],
                    "mpi": ["builds", "correct", "parallel", "no_hang"],
                    "hybrid": ["builds", "correct", "parallel", "race_free", "no_hang"]}


# Warnings that do not matter for a grade: a skeleton leaves variables unused until the student
# writes the lesson; every other warning (an unknown #pragma, a narrowing, an uninitialised
# value, a misleading indentation) fails the build criterion.
IGNORED_WARNINGS = re.compile(r"\[-Wunused-(variable|parameter|but-set-variable|private-field)\]")


@dataclass
class Criterion:
    key: str
    passed: object = None          # True, False, or None: not run
    why: str = ""                  # the evidence in a line, or the reason it failed
    hint: str = ""
    evidence: dict = field(default_factory=dict)


@dataclass
class Outcome:
    code: object                   # exit code, None when killed at its time limit
    stdout: str
    stderr: str
    seconds: float
    hang: str = ""                 # who was still running, when killed


# What would steer a run from the grader's own shell: the OpenMP runtimes' settings, the
# sanitizers' options, preloaded libraries. A grade must not depend on who grades it
# (OMP_THREAD_LIMIT=1 in a profile failed every reference solution's parallel criterion), so the
# runs start without them; the MPI library's settings stay (a site may need them to run at all).
STEERING = re.compile(r"^(OMP_|KMP_|GOMP_|LD_PRELOAD$|[A-Z]+SAN_OPTIONS$|ARCHER_OPTIONS$)")


def clean_environment():
    return {k: v for k, v in os.environ.items() if not STEERING.match(k)}


def run(command, env, timeout, probe_dir=None):
    """Runs a command in its own process group; at the time limit, reads from the PMPI probe's
    status files which ranks were still running, and where, then stops the group."""
    start = time.perf_counter()
    # The output goes to files, capped (a program that prints for ever is stopped by SIGXFSZ),
    # never to this process's memory.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, env=env, start_new_session=True,
                                   preexec_fn=limit_output)
        try:
            code, hang = process.wait(timeout=timeout), ""
            seconds = time.perf_counter() - start
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the run is in a session of its own, end it too
            runner.stop(process)
            raise
        except subprocess.TimeoutExpired:
            code, hang = None, hang_report(probe_dir) or "no MPI status was recorded"
            seconds = time.perf_counter() - start
            runner.stop(process)
        out, err = (read_capped(f) for f in (out_file, err_file))
    return Outcome(code, out, err, seconds, hang)


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


def program_failure(text):
    """The program's own verdict, from the JSON report a checker shows after its FAIL line."""
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                report = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(report, dict) and report.get("failure"):
                return str(report["failure"])
    return ""


def hang_report(probe_dir):
    """'rank 0 in MPI_Send (to rank 1, 8000000 bytes); rank 1 in ...' from the probe's status files."""
    if not probe_dir:
        return ""
    states = []
    for path in sorted(Path(probe_dir).glob("rank-*.status"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0)):
        text = path.read_bytes().split(b"\0")[0].decode(errors="replace").strip()
        rank = re.sub(r"\D", "", path.name)
        if text != "finished":
            states.append(f"rank {rank} {text or 'starting'}")
    return "; ".join(states)


class Grader:
    def __init__(self, exercise, source=None, solution=False, log=None):
        self.exercise = exercise
        self.model, self.name = exercise.model, exercise.name
        self.source = Path(source) if source else None
        self.solution = solution
        self.log = log or (lambda text: None)
        self.criteria = {key: Criterion(key) for key in exercise.spec.get("criteria", DEFAULT_CRITERIA[self.model])}
        self.scratch = Path(tempfile.mkdtemp(prefix=f"grade-{exercise.id}-"))
        self.hangs = []
        self.runs = 0
        self.mpi_env = runner.mpi_environment() if self.model in ("mpi", "hybrid") else {}
        self.bookshop_url = ""
        # A launch script (a bug hunt's): it runs one of the project's programs, WHERE.
        self.script = exercise.source.suffix == ".sh"
        self.launched = 0  # runs of the program, each under a time limit

    # --- binaries ---------------------------------------------------------------------------

    def binary(self, build):
        if self.script:
            return build / self.exercise.spec["program"]
        if self.solution:
            return build / self.model / self.name
        return build / "student" / self.model / self.name

    def build_one(self, build, label):
        """Copies the source into the build tree's student-src/ and builds its target. Returns
        (ok, warnings, errors): the compiler's lines about the student's file."""
        target = f"student_{self.model}_{self.name}"
        copy = build / "student-src" / self.model / f"{self.name}.cpp"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.source, copy)
        os.utime(copy)  # a new time stamp: make rebuilds it even from an older file
        with locked(build / "student-src" / ".build.lock"):  # one make at a time in a build tree
            done = run(["cmake", "--build", str(build), "--target", target, "--", "-s"], dict(os.environ), 600)
            if done.code != 0 and "No rule to make target" in done.stderr + done.stdout:
                # An exercise newer than the build's configuration: configure again, then build.
                run(["cmake", str(build)], dict(os.environ), 600)
                done = run(["cmake", "--build", str(build), "--target", target, "--", "-s"], dict(os.environ), 600)
        text = (done.stdout + done.stderr).replace(str(copy), str(self.source))
        mine = [line for line in text.splitlines() if str(self.source) in line]
        warnings = [line for line in mine if ": warning:" in line and not IGNORED_WARNINGS.search(line)]
        errors = [line for line in mine if ": error:" in line] or (
            [] if done.code == 0 else [line for line in text.splitlines() if "error" in line.lower()][:5])
        self.log(f"  {label}: {'built' if done.code == 0 else 'FAILED'}"
                 + (f", {len(warnings)} warning(s)" if warnings else ""))
        return done.code == 0, warnings, errors

    def builds(self):
        c = self.criteria["builds"]
        if self.script:
            return self.builds_script(c)
        needs_clang = self.model in ("openmp", "hybrid")
        if self.solution:
            missing = [str(p) for p in ([self.binary(BUILD)] + ([self.binary(ARCHER)] if needs_clang else []))
                       if not p.exists()]
            c.passed = not missing
            c.why = "the solution, built by the project" if not missing else f"not built: {', '.join(missing)}"
            c.hint = "" if not missing else "scripts/setup default && scripts/setup archer"
            self.gcc_ok, self.clang_ok = self.binary(BUILD).exists(), self.binary(ARCHER).exists()
            return
        self.gcc_ok, warnings, errors = self.build_one(BUILD, "g++ (build/)")
        self.clang_ok, clang_warnings, clang_errors = (self.build_one(ARCHER, "clang++ with ThreadSanitizer "
                                                                      "(build-archer/)") if needs_clang
                                                       else (False, [], []))
        warnings += [w for w in clang_warnings if w not in warnings]
        c.evidence = {"warnings": warnings, "errors": errors + clang_errors}
        if not self.gcc_ok or (needs_clang and not self.clang_ok):
            c.passed = False
            first = (errors + clang_errors + ["see the compiler's output"])[0]
            c.why = f"does not compile: {first}"
            c.hint = "build it yourself to see every message: cmake --build build --target student_" \
                     f"{self.model}_{self.name}"
        elif warnings:
            c.passed = False
            c.why = f"{len(warnings)} warning(s): {warnings[0]}"
            c.hint = "a warning is often the bug: an unknown #pragma is ignored, an unused variable was meant to be used"
        else:
            c.passed = True
            c.why = "g++" + (" and clang++ (ThreadSanitizer)" if needs_clang else "") + ", no warnings"

    def builds_script(self, c):
        """A script: bash must read it, and ShellCheck find nothing to say."""
        syntax = run(["bash", "-n", str(self.source)], dict(os.environ), 30)
        lint = run(["shellcheck", "-f", "gcc", str(self.source)], dict(os.environ), 60) \
            if shutil.which("shellcheck") else None
        self.gcc_ok = syntax.code == 0 and self.binary(BUILD).exists()
        self.clang_ok = False
        notes = [line for line in (lint.stdout.splitlines() if lint else []) if line.strip()]
        c.evidence = {"bash": syntax.stderr.strip(), "shellcheck": notes}
        if syntax.code != 0:
            c.passed, c.why = False, f"bash cannot read it: {syntax.stderr.strip()[:200]}"
        elif not self.binary(BUILD).exists():
            c.passed, c.why = False, f"{self.binary(BUILD)} is not built: scripts/setup"
        elif notes:
            c.passed, c.why = False, f"ShellCheck: {notes[0]}"
            c.hint = "quote variables (\"$WHERE\"), and see https://www.shellcheck.net/wiki/ for the code"
        else:
            c.passed = True
            c.why = "bash reads it" + (", ShellCheck finds nothing" if lint else " (ShellCheck is not installed)")

    # --- launching ----------------------------------------------------------------------------

    def fill(self, values):
        """An exercise's arguments with {site}, {url} and {scratch} put in: the local bookshop's
        folder and page URL, and a folder of this grading's own."""
        return [str(v).replace("{site}", str(self.scratch / "bookshop")).replace("{url}", self.bookshop_url)
                .replace("{scratch}", str(self.scratch)) for v in values]

    def launch(self, binary, args, ranks=1, threads=1, env_extra=None, probe_dir=None, preload=None):
        """The command line and environment that run a binary of this exercise's model."""
        args = self.fill(args)
        env = clean_environment()
        env.update(env_extra or {})
        if self.model in ("openmp", "hybrid"):
            env["OMP_NUM_THREADS"] = str(threads)
        if probe_dir:
            env["PARACON_PROBE_DIR"] = str(probe_dir)
        if self.script:  # the script chooses threads and binding; the grader only says where things are
            env.pop("OMP_NUM_THREADS", None)
            env.update({k: v for k, v in self.mpi_env.items() if "binding" not in k})
            env.update(WHERE=str(binary), MPIEXEC=runner.mpi_launch(1)[0])
            return ["bash", str(self.source)] + list(args), env
        if self.model == "openmp":
            return [str(binary)] + list(args), env
        env.update(self.mpi_env)
        program = [str(binary)]
        if preload:  # into the ranks only, not into mpiexec
            program = ["env", f"LD_PRELOAD={preload}"] + program
        return runner.mpi_launch(ranks) + program + list(args), env

    def probe_dir(self):
        self.runs += 1
        folder = self.scratch / f"run-{self.runs}"
        folder.mkdir()
        return folder

    def pmpi_probe(self, build=BUILD):
        probe = build / "coursework" / "libpmpi_probe.so"
        return str(probe) if probe.exists() else None

    def note_hang(self, what, outcome):
        self.launched += 1
        if outcome.code is None:
            self.hangs.append(f"{what}: killed after {outcome.seconds:.0f} s; {outcome.hang}")

    # --- correct --------------------------------------------------------------------------------

    def correct(self):
        c = self.criteria["correct"]
        if not self.gcc_ok:
            c.why = "not run: it did not build"
            return
        binary = self.binary(BUILD)
        timeout = self.exercise.spec.get("timeout", 60)
        runs, failures = 0, []
        for case in self.exercise.spec.get("correct", []):
            check = case.get("check", self.name)
            for workers in case["workers"]:
                ranks, threads = self.shape(workers)
                probe = self.probe_dir() if self.model != "openmp" else None
                command, env = self.launch(binary, case.get("args", []), ranks, threads, case.get("env"), probe,
                                           self.pmpi_probe() if probe else None)
                shape = ["--workers", str(ranks if self.model != "openmp" else threads)]
                if self.model == "hybrid":
                    shape += ["--threads", str(threads)]
                if not self.exercise.spec.get("check_workers", True):  # a check that counts no workers
                    shape = []
                checker = [sys.executable, str(CHECK), check] + self.fill(case.get("check_args", [])) + shape + ["--"]
                outcome = run(checker + command, env, timeout, probe)
                runs += 1
                self.note_hang(self.describe(case.get("args", []), ranks, threads), outcome)
                if outcome.code != 0:
                    said = next((line for line in outcome.stdout.splitlines() if line.startswith("FAIL")),
                                outcome.stdout.strip().splitlines()[-1] if outcome.stdout.strip() else "")
                    verdict = program_failure(outcome.stdout)
                    if verdict:
                        said += f" (the program says: {verdict})"
                    failures.append((self.describe(case.get("args", []), ranks, threads),
                                     "no answer within the time limit" if outcome.code is None else said))
        c.evidence = {"runs": runs, "failed": [{"run": r, "why": w} for r, w in failures]}
        if failures:
            c.passed = False
            c.why = f"{len(failures)} of {runs} runs wrong; first: {failures[0][0]}: {failures[0][1][:240]}"
            c.hint = f"run it yourself: {failures[0][0]}"
        elif runs:
            c.passed = True
            checks = sorted({case.get("check", self.name) for case in self.exercise.spec.get("correct", [])})
            c.why = (f"{runs} run{'s' if runs > 1 else ''} at {self.worker_range()}: every value as "
                     + " and ".join(f"tests/checks/{check}.py" for check in checks) + " computes it")

    def shape(self, workers):
        if self.model == "hybrid":
            return int(workers[0]), int(workers[1])
        return (int(workers), 1) if self.model == "mpi" else (1, int(workers))

    def describe(self, args, ranks, threads):
        binary = self.binary(BUILD).relative_to(ROOT) if self.binary(BUILD).is_relative_to(ROOT) else self.binary(BUILD)
        line = " ".join([str(binary)] + self.fill(args))
        if self.model == "openmp":
            return f"OMP_NUM_THREADS={threads} {line}"
        if self.model == "hybrid":
            return f"OMP_NUM_THREADS={threads} mpirun -n {ranks} {line}"
        return f"mpirun -n {ranks} {line}"

    def worker_range(self):
        shapes = [self.shape(w) for case in self.exercise.spec.get("correct", []) for w in case["workers"]]
        if self.model == "openmp":
            counts = sorted({t for _, t in shapes})
            return f"{counts[0]}-{counts[-1]} threads" if len(counts) > 1 else f"{counts[0]} threads"
        if self.model == "mpi":
            counts = sorted({r for r, _ in shapes})
            return f"{counts[0]}-{counts[-1]} ranks" if len(counts) > 1 else f"{counts[0]} ranks"
        return ", ".join(f"{r}x{t}" for r, t in sorted(set(shapes))) + " ranks x threads"

    # --- parallel -------------------------------------------------------------------------------

    def parallel(self):
        c = self.criteria["parallel"]
        spec = self.exercise.spec.get("parallel", {})
        needs = self.gcc_ok if self.script or self.model == "mpi" else self.clang_ok
        if not needs:
            c.why = "not run: it did not build"
            return
        findings, evidence = [], {}
        if self.script:
            findings += self.placement_evidence(spec, evidence)
        elif self.model in ("openmp", "hybrid"):
            findings += self.thread_evidence(spec, evidence)
        if self.model in ("mpi", "hybrid") and not self.script:
            findings += self.rank_evidence(spec, evidence)
        c.evidence = evidence
        failed = [text for ok, text in findings if ok is False]
        if not findings:
            c.why = "not run"
        elif failed:
            c.passed = False
            c.why = "; ".join(failed)
            c.hint = "see no hang" if any("hung" in text for text in failed) else \
                spec.get("hint", "the work must be shared: each worker does its part")
        else:
            c.passed = True
            c.why = "; ".join(text for _, text in findings)
        speedup = self.speedup(spec)
        if speedup:
            c.evidence["speedup"] = speedup
            c.why += f"; speedup {speedup['speedup']:.2f}x at {speedup['workers']} (reported, not graded)"

    def thread_evidence(self, spec, evidence):
        """OMPT: each thread's seconds in the program's own code inside regions of 2 or more
        threads. The work a second thread did alongside the busiest, region by region, must
        reach spec['share'] of the run."""
        ompt = ARCHER / "coursework" / "libompt_probe.so"
        if not ompt.exists():
            return [(False, f"no OMPT probe ({ompt}): scripts/setup archer")]
        ranks, threads = (spec.get("ranks", 2), spec.get("threads", 2)) if self.model == "hybrid" \
            else (1, spec.get("workers", 2))
        probe = self.probe_dir()
        env = {"OMP_TOOL_LIBRARIES": str(ompt),
               "TSAN_OPTIONS": "report_bugs=0 ignore_noninstrumented_modules=1 exitcode=0"}
        command, env = self.launch(self.binary(ARCHER), spec.get("args", []) + ["--json"], ranks, threads, env, probe,
                                   self.pmpi_probe(ARCHER) if self.model == "hybrid" else None)
        outcome = run(command, env, spec.get("timeout", 120), probe)
        self.note_hang(f"the parallel run ({self.describe(spec.get('args', []), ranks, threads)})", outcome)
        if self.model == "hybrid":
            self.hybrid_rank_files = probe
        files = sorted(probe.glob("openmp-*.json"))
        if outcome.code is None:
            return [(False, "the run with the OMPT probe did not end")]
        if not files:
            return [(False, f"the OMPT probe saw no OpenMP runtime ({exit_status(outcome.code)})")]
        findings = []
        share_needed = spec.get("share", 0.25)
        evidence["threads"] = []
        for k, path in enumerate(files):
            data = json.loads(path.read_text())
            # Work done at the same time: in each region, the time of its second-busiest thread
            # (one thread working while the others wait counts nothing), summed over regions.
            per_thread, teams, second = {}, set(), 0.0
            for region in data["regions"]:
                teams.add(region["team"])
                if region["team"] >= 2:
                    times = sorted(region["user_seconds"], reverse=True)
                    second += times[1] if len(times) > 1 else 0.0
                    for index, seconds in enumerate(region["user_seconds"]):
                        per_thread[index] = per_thread.get(index, 0.0) + seconds
            busy = sorted(per_thread.values(), reverse=True)
            share = second / data["seconds"] if data["seconds"] > 0 else 0.0
            where = f"rank {k}: " if self.model == "hybrid" else ""
            evidence["threads"].append({"teams": sorted(teams), "thread_seconds": [round(s, 4) for s in busy],
                                        "run_seconds": round(data["seconds"], 4), "share": round(share, 3),
                                        "explicit_tasks": data.get("explicit_tasks", 0)})
            detail = (f"{where}{'teams of ' + ', '.join(map(str, sorted(teams))) if teams else 'no parallel region'}; "
                      f"a second thread worked alongside for {second:.3f} s of {data['seconds']:.3f} s "
                      f"({share:.0%}, needs {share_needed:.0%})")
            findings.append((share >= share_needed, detail if share >= share_needed else
                             f"{where}one thread did the work: " + detail))
        return findings

    def placement_evidence(self, spec, evidence):
        """From the placement report (hybrid/where, the project's program, not the student's):
        each rank's threads on CPUs of their own."""
        command, env = self.launch(self.binary(BUILD), ["--json"])
        outcome = run(command, env, spec.get("timeout", 60))
        self.note_hang("the placement run", outcome)
        try:
            places = json.loads(outcome.stdout)["placements"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return [(False, f"no placement report (exit code {outcome.code}): {outcome.stderr.strip()[:200]}")]
        evidence["placements"] = places
        findings = []
        for rank in sorted({p["rank"] for p in places}):
            mine = [p for p in places if p["rank"] == rank]
            cpus = [p["cpu"] for p in mine]
            masks = [p["mask"] for p in mine]
            shared = len(set(cpus)) < len(cpus)
            findings.append((not shared, f"rank {rank}: threads on CPUs {cpus} (masks {masks})" if not shared else
                             f"rank {rank}'s {len(cpus)} threads share CPU(s) {sorted(set(cpus))} (their masks: "
                             f"{masks}): they take turns on one core"))
        return findings

    def rank_evidence(self, spec, evidence):
        """PMPI: every rank made the calls the exercise is about, moved its bytes, and spent its
        share of the time outside MPI (computing)."""
        if self.model == "hybrid":
            probe = getattr(self, "hybrid_rank_files", None)
        else:
            pmpi = self.pmpi_probe()
            if not pmpi:
                return [(False, "no PMPI probe (build/coursework/libpmpi_probe.so): scripts/setup")]
            ranks = spec.get("workers", 2)
            probe = self.probe_dir()
            command, env = self.launch(self.binary(BUILD), spec.get("args", []) + ["--json"], ranks, 1, spec.get("env"),
                                       probe, pmpi)
            outcome = run(command, env, spec.get("timeout", 120), probe)
            self.note_hang(f"the parallel run ({self.describe(spec.get('args', []), ranks, 1)})", outcome)
            if outcome.code is None:
                return [(False, f"the run with the PMPI probe hung: {outcome.hang}")]
        files = sorted(probe.glob("rank-*.json"), key=lambda p: int(re.sub(r"\D", "", p.name))) if probe else []
        if not files:
            return [(False, "the PMPI probe saw no rank finish MPI")]
        ranks = [json.loads(p.read_text()) for p in files]
        evidence["ranks"] = ranks
        findings = []
        for wanted in spec.get("calls", []):  # "MPI_Reduce": on every rank; "MPI_Irecv@0": on rank 0
            call, _, only = wanted.partition("@")
            chosen = [r for r in ranks if not only or r["rank"] == int(only)]
            missing = [r["rank"] for r in chosen if r["calls"].get(call, 0) == 0]
            where = f"on rank {only}" if only else "on every rank"
            findings.append((not missing, f"{call} {where}" if not missing
                             else f"rank(s) {', '.join(map(str, missing))} never called {call}"))
        if "bytes" in spec:
            low = [r["rank"] for r in ranks[1:] if r["bytes_sent"] + r["bytes_received"] < spec["bytes"]]
            moved = min(r["bytes_sent"] + r["bytes_received"] for r in ranks[1:]) if len(ranks) > 1 else 0
            findings.append((not low, f"every rank but 0 moved at least {spec['bytes']} bytes (least: {moved})"
                             if not low else f"rank(s) {', '.join(map(str, low))} moved under {spec['bytes']} bytes "
                                             "of data: their share never reached them"))
        if spec.get("no_pending"):  # every nonblocking request completed (MPI_Wait, MPI_Test...)
            left = {r["rank"]: r["pending_requests"] for r in ranks if r["pending_requests"]}
            findings.append((not left, "every request completed" if not left else
                             "requests never completed: " + ", ".join(f"rank {k}: {v}" for k, v in left.items())
                             + " (a nonblocking call's buffer is the library's until its MPI_Wait)"))
        if "rank_share" in spec:
            chosen = ranks[1:] if spec.get("share_ranks") == "workers" and len(ranks) > 1 else ranks
            work = {r["rank"]: max(0.0, r["seconds"] - r["seconds_in_mpi"]) for r in chosen}
            most = max(work.values()) or 1e-9
            idle = [rank for rank, seconds in work.items() if seconds < spec["rank_share"] * most]
            shown = ", ".join(f"{rank}: {seconds:.3f} s" for rank, seconds in work.items())
            findings.append((not idle, f"time outside MPI per rank ({shown})" if not idle else
                             f"rank(s) {', '.join(map(str, idle))} computed under {spec['rank_share']:.0%} of the "
                             f"busiest rank's time ({shown}): the work was not shared"))
        return findings

    def speedup(self, spec):
        """The program's own seconds at 1 worker and at the parallel run's, from the release
        build: reported beside the evidence, never graded."""
        if not self.gcc_ok or spec.get("no_speedup") or self.script:
            return None
        shapes = {"openmp": ((1, 1), (1, spec.get("workers", 2))), "mpi": ((1, 1), (spec.get("workers", 2), 1)),
                  "hybrid": ((1, 1), (spec.get("ranks", 2), spec.get("threads", 2)))}[self.model]
        seconds = []
        for ranks, threads in shapes:
            command, env = self.launch(self.binary(BUILD), spec.get("args", []) + ["--json"], ranks, threads)
            outcome = run(command, env, spec.get("timeout", 120))
            self.note_hang(f"the timing run ({self.describe(spec.get('args', []), ranks, threads)})", outcome)
            try:
                seconds.append(float(json.loads(outcome.stdout)["seconds"]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                return None
        if not seconds[1]:
            return None
        ranks, threads = shapes[1]
        workers = {"openmp": f"{threads} threads", "mpi": f"{ranks} ranks", "hybrid": f"{ranks}x{threads}"}[self.model]
        return {"one_worker_seconds": seconds[0], "seconds": seconds[1], "speedup": seconds[0] / seconds[1],
                "workers": workers}

    # --- race-free ------------------------------------------------------------------------------

    def race_free(self):
        c = self.criteria["race_free"]
        if not self.clang_ok:
            c.why = "not run: the clang++ build failed" if not self.solution else "not run: build-archer/ has no binary"
            return
        archer = runner.cmake_cache("PARACON_ARCHER", ARCHER)
        if not archer:
            c.why = "not run: build-archer/ has no Archer (scripts/setup archer)"
            return
        spec = self.exercise.spec.get("race", {})
        threads = spec.get("workers", 2)
        probe = self.probe_dir() if self.model == "hybrid" else None
        env = {"OMP_TOOL_LIBRARIES": archer,
               "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 halt_on_error=0 exitcode=66"}
        command, env = self.launch(self.binary(ARCHER), spec.get("args", []), 1, threads, env, probe)
        outcome = run(command, env, spec.get("timeout", 180), probe)
        self.note_hang(f"the race run ({self.describe(spec.get('args', []), 1, threads)})", outcome)
        reports = outcome.stderr.count("WARNING: ThreadSanitizer")
        frames = [line.strip() for line in outcome.stderr.splitlines()
                  if re.match(r"\s*#\d+ ", line) and str(ROOT) in line or "student-src" in line]
        frames = [f.replace(str(ARCHER / "student-src" / self.model / f"{self.name}.cpp"), str(self.source or ""))
                  for f in frames]
        c.evidence = {"reports": reports, "threads": threads, "exit_code": outcome.code, "first_frames": frames[:4]}
        if outcome.code is None:
            c.passed = False
            c.why = "the run under Archer did not end"
        elif not reports and outcome.code not in (0, 1, 66):  # 1: a wrong value, which a race may cause
            c.passed = False
            c.why = f"the run under Archer stopped ({exit_status(outcome.code)}) before it could be judged"
            c.hint = f"run it yourself: {self.describe(spec.get('args', []), 1, threads)}"
        elif reports or outcome.code == 66:
            c.passed = False
            where = re.sub(r"^#\d+\s+\S+\s+", "", frames[0]) if frames else "see the report"
            c.why = f"Archer reported {reports} data race(s) at {threads} threads; first at {where}"
            c.hint = "two threads touch the same variable and one writes: make it private, or a reduction, " \
                     "or protect the update (atomic, critical)"
        else:
            c.passed = True
            c.why = f"Archer (ThreadSanitizer) reported nothing at {threads} threads"

    # --- no hang --------------------------------------------------------------------------------

    def no_hang(self):
        c = self.criteria["no_hang"]
        c.evidence = {"hangs": self.hangs, "runs": self.launched}
        if not self.launched:
            c.why = "not run: nothing ran"
        elif self.hangs:
            c.passed = False
            c.why = f"probable deadlock: {self.hangs[0]}"
            c.hint = ("two ranks each waiting for the other: who sends first, and does the message fit the eager limit?"
                      if self.model != "openmp" else
                      "a thread waiting for ever (a barrier not every thread reaches, a lock never released), or a loop "
                      "that never ends")
        else:
            c.passed = True
            c.why = f"every run ended within its time limit ({self.launched} run{'s' if self.launched > 1 else ''})"

    # --- all of it ------------------------------------------------------------------------------

    def grade(self):
        shop = [sys.executable, str(ROOT / "tests" / "scrape" / "bookshop.py")]
        serving = False
        try:
            if self.exercise.spec.get("bookshop"):  # the scraper's stand-in for books.toscrape.com
                subprocess.run(shop + ["start", str(self.scratch / "bookshop")], check=True, stdout=subprocess.DEVNULL)
                serving = True
                port = (self.scratch / "bookshop" / "port").read_text().strip()
                self.bookshop_url = f"http://127.0.0.1:{port}/slow50/catalogue/page-{{}}.html"
            order = ["builds", "correct", "parallel", "race_free", "no_hang"]
            # One grade of an exercise at a time in this checkout: they share its student binary.
            with locked(BUILD / "student-src" / f".{self.exercise.id}.lock",
                        lambda: self.log(f"waiting for another grade of {self.exercise.id} to finish")):
                for key in order:
                    if key in self.criteria:
                        self.log(f"- {NAMES[key]} ...")
                        getattr(self, key)()
            return list(self.criteria.values())
        finally:
            if serving:
                subprocess.run(shop + ["stop", str(self.scratch / "bookshop")], stdout=subprocess.DEVNULL)
            shutil.rmtree(self.scratch, ignore_errors=True)


def table(exercise, source, criteria):
    lines = [f"{exercise.id}: {source}", ""]
    width = max(len(NAMES[c.key]) for c in criteria)
    for c in criteria:
        verdict = "pass" if c.passed else "FAIL" if c.passed is False else "-"
        lines.append(f"{NAMES[c.key].ljust(width)}  {verdict:4}  {c.why}")
        if c.passed is False and c.hint:
            lines.append(f"{' ' * width}        hint: {c.hint}")
    passed = sum(1 for c in criteria if c.passed)
    failed = len(criteria) - passed
    lines += ["", f"{passed} passed, {failed} failed"]
    return "\n".join(lines)


def results_json(exercise, source, criteria):
    """Gradescope's results.json (score, tests with name, score, max_score, status, output),
    which GitHub Classroom's runners read as well, with each criterion's evidence."""
    tests = [{"name": NAMES[c.key], "score": 1 if c.passed else 0, "max_score": 1,
              "status": "passed" if c.passed else "failed",
              "output": c.why + (f"\nhint: {c.hint}" if c.passed is False and c.hint else ""),
              "extra_data": c.evidence} for c in criteria]
    return {"score": sum(t["score"] for t in tests), "max_score": len(tests), "exercise": exercise.id,
            "file": str(source), "tests": tests}
