"""The grader: builds a student's file as the program it replaces is built, runs it, and proves
five things, each a criterion with its evidence (criteria.py says what each means):

  builds     it compiles without warnings, and keeps the rules of a student's file (rules.py)
  correct    the project's own checks hold at 1 to 4 workers, at the exercise's sizes and at sizes
             drawn at grading time from a seed
  parallel   its workers ran their own code at the same time, without waste, by the probes'
             samples and the kernel's accounting (evidence.py); the speedup is reported, not graded
  race-free  LLVM's Archer reports no data race
  no hang    every run ended within its time limit

This file is the grade in progress: the exercise, the file, its two builds, and how each run is
started (launch.py); criteria.py judges, report.py writes the table and results.json. Each
exercise's runs, sizes and thresholds are in coursework/exercises/<exercise>.toml.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import criteria
import evidence
import launch
import rules
from criteria import Criterion  # noqa: F401  (the grade's parts, for the callers)
from launch import ROOT, run, locked, runner
from report import NAMES, results_json, table  # noqa: F401

BUILD, ARCHER = ROOT / "build", ROOT / "build-archer"
DEFAULT_CRITERIA = {"openmp": ["builds", "correct", "parallel", "race_free", "no_hang"],
                    "mpi": ["builds", "correct", "parallel", "no_hang"],
                    "hybrid": ["builds", "correct", "parallel", "race_free", "no_hang"]}
ORDER = ["builds", "correct", "parallel", "race_free", "no_hang"]


def new_seed():
    return random.SystemRandom().randrange(1, 1_000_000)


class Grader:
    BUILD, ARCHER = BUILD, ARCHER

    def __init__(self, exercise, source=None, solution=False, log=None, seed=None):
        self.exercise = exercise
        self.model, self.name = exercise.model, exercise.name
        self.source = Path(source) if source else None
        self.solution = solution
        self.log = log or (lambda text: None)
        self.seed = new_seed() if seed is None else seed
        self.criteria = {key: Criterion(key) for key in exercise.spec.get("criteria", DEFAULT_CRITERIA[self.model])}
        self.scratch = Path(tempfile.mkdtemp(prefix=f"grade-{exercise.id}-"))
        self.hangs = []
        self.runs = 0
        self.mpi_env = runner.mpi_environment() if self.model in ("mpi", "hybrid") else {}
        self.bookshop_url = ""
        # A launch script (a bug hunt's): it runs one of the project's programs, WHERE.
        self.script = exercise.source.suffix == ".sh"
        self.launched = 0  # runs of the program, each under a time limit
        self.gcc_ok = self.clang_ok = False
        self.trace_hint = ""
        self.timings = {}  # (ranks, threads) -> the program's own seconds in its first watched run
        self._rules = {}

    # --- binaries ---------------------------------------------------------------------------

    def binary(self, build):
        if self.script:
            return build / self.exercise.spec["program"]
        if self.solution:
            return build / self.model / self.name
        return build / "student" / self.model / self.name

    def compiled(self, build):
        """(source as the build compiled it, its object file)."""
        if self.solution:
            source = ROOT / self.model / f"{self.name}.cpp"
            return source, build / self.model / "CMakeFiles" / f"{self.model}_{self.name}.dir" / f"{self.name}.cpp.o"
        source = build / "student-src" / self.model / f"{self.name}.cpp"
        return source, (build / "coursework" / "CMakeFiles" / f"student_{self.model}_{self.name}.dir" / "__" /
                        "student-src" / self.model / f"{self.name}.cpp.o")

    def rules(self, build):
        """The rules of a student's file for its program in one build tree (rules.py), made once
        per grade: the program's own libraries, and the grader's tools it may run with."""
        if build not in self._rules:
            tools = sorted((build / "coursework").glob("*.so")) + sorted((BUILD / "coursework" / "libomp").glob("*"))
            archer = runner.cmake_cache("PARACON_ARCHER", build)
            self._rules[build] = rules.Rules([self.binary(build)], tools + ([Path(archer)] if archer else []))
        return self._rules[build]

    def shown_name(self):
        return Path(self.source).name if self.source else f"{self.name}.cpp"

    def source_map(self):
        """Source paths as the builds' debug information names them -> the name a student reads."""
        shown = self.shown_name()
        return {str(self.compiled(build)[0]): shown for build in (BUILD, ARCHER)}

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
        warnings = [line for line in mine if ": warning:" in line and not criteria.IGNORED_WARNINGS.search(line)]
        errors = [line for line in mine if ": error:" in line] or (
            [] if done.code == 0 else [line for line in text.splitlines() if "error" in line.lower()][:5])
        self.log(f"  {label}: {'built' if done.code == 0 else 'FAILED'}"
                 + (f", {len(warnings)} warning(s)" if warnings else ""))
        return done.code == 0, warnings, errors

    # --- launching ----------------------------------------------------------------------------

    def fill(self, values):
        """An exercise's arguments with {site}, {url} and {scratch} put in: the local bookshop's
        folder and page URL, and a folder of this grading's own."""
        return [str(v).replace("{site}", str(self.scratch / "bookshop")).replace("{url}", self.bookshop_url)
                .replace("{scratch}", str(self.scratch)) for v in values]

    def launch(self, binary, args, ranks=1, threads=1, env_extra=None, probe_dir=None, preload=None, libraries=None):
        """The command line and environment that run a binary of this exercise's model (preload
        and libraries: LD_PRELOAD and LD_LIBRARY_PATH of the program, not of an MPI launcher)."""
        args = self.fill(args)
        env = launch.clean_environment()
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
        wrapped = [f"LD_PRELOAD={preload}"] if preload else []
        if libraries:
            wrapped.append(f"LD_LIBRARY_PATH={libraries}" + (f":{env['LD_LIBRARY_PATH']}" if env.get("LD_LIBRARY_PATH") else ""))
        program = (["env"] + wrapped if wrapped else []) + [str(binary)]
        if self.model == "openmp":
            return program + list(args), env
        env.update(self.mpi_env)
        return runner.mpi_launch(ranks) + program + list(args), env

    def probe_dir(self):
        self.runs += 1
        folder = self.scratch / f"run-{self.runs}"
        folder.mkdir()
        return folder

    def pmpi_probe(self, build=BUILD):
        probe = build / "coursework" / "libpmpi_probe.so"
        return str(probe) if probe.exists() else None

    def watched(self, spec, ranks, threads):
        """The exercise's parallel run on ranks x threads, watched by the probes: the release
        build's binary (the one graded correct, at its real speed), the PMPI layer in each rank,
        and for OpenMP and hybrid programs the OMPT tool, the binary running on LLVM's libomp in
        the place of libgomp. Returns (outcome, evidence.Process of each process the probes saw)."""
        folder = self.probe_dir()
        tools = BUILD / "coursework"
        ompt = tools / "libompt_probe.so" if self.model in ("openmp", "hybrid") else None
        env = dict(spec.get("env", {}), **launch.probe_environment(folder, ompt))
        if ompt:
            env.update(OMP_WAIT_POLICY="passive")  # a thread that waits sleeps: its CPU time is its work's
        command, env = self.launch(self.binary(BUILD), spec.get("args", []) + ["--json"], ranks, threads, env, folder,
                                   self.pmpi_probe(BUILD) if self.model != "openmp" else None,
                                   tools / "libomp" if ompt else None)
        outcome = run(command, env, spec.get("timeout", 120), folder)
        self.note_hang(f"the parallel run ({self.describe(spec.get('args', []), ranks, threads)})", outcome)
        try:  # the program's own timing of its work, for the speedup (reported, never graded)
            self.timings.setdefault((ranks, threads), float(json.loads(outcome.stdout)["seconds"]))
        except (ValueError, KeyError, TypeError):
            pass
        return outcome, evidence.read(folder)

    def note_hang(self, what, outcome):
        self.launched += 1
        if outcome.code is None:
            self.hangs.append(f"{what}: killed after {outcome.seconds:.0f} s; {outcome.hang}")

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
        cases = self.exercise.spec.get("correct", []) + self.exercise.spec.get("drawn", [])
        shapes = [self.shape(w) for case in cases for w in case["workers"]]
        if self.model == "openmp":
            counts = sorted({t for _, t in shapes})
            return f"{counts[0]}-{counts[-1]} threads" if len(counts) > 1 else f"{counts[0]} threads"
        if self.model == "mpi":
            counts = sorted({r for r, _ in shapes})
            return f"{counts[0]}-{counts[-1]} ranks" if len(counts) > 1 else f"{counts[0]} ranks"
        return ", ".join(f"{r}x{t}" for r, t in sorted(set(shapes))) + " ranks x threads"

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
            # One grade of an exercise at a time in this checkout: they share its student binary.
            with locked(BUILD / "student-src" / f".{self.exercise.id}.lock",
                        lambda: self.log(f"waiting for another grade of {self.exercise.id} to finish")):
                for key in ORDER:
                    if key in self.criteria:
                        self.log(f"- {NAMES[key]} ...")
                        getattr(criteria, key)(self)
            return list(self.criteria.values())
        finally:
            if serving:
                subprocess.run(shop + ["stop", str(self.scratch / "bookshop")], stdout=subprocess.DEVNULL)
            shutil.rmtree(self.scratch, ignore_errors=True)
