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

import shlex

import criteria
import evidence
import launch
import meter
import rules
import sandbox
from criteria import Criterion  # noqa: F401  (the grade's parts, for the callers)
from launch import ROOT, run, runner
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

    def __init__(self, exercise, source=None, solution=False, log=None, seed=None, sandboxed=True):
        self.exercise = exercise
        self.model, self.name = exercise.model, exercise.name
        self.source = Path(source) if source else None
        self.solution = solution
        self.log = log or (lambda text: None)
        self.seed = new_seed() if seed is None else seed
        self.criteria = {key: Criterion(key) for key in exercise.spec.get("criteria", DEFAULT_CRITERIA[self.model])}
        # Every build and run of the grade in a box of its own (sandbox.py), when this machine
        # can make one; its writable folder is the grade's scratch folder.
        self.sandbox, self.sandbox_note = None, "not sandboxed (--no-sandbox)"
        if sandboxed:
            ok, why = sandbox.check()
            self.sandbox_note = "" if ok else f"NOT SANDBOXED: {why}; the student's code runs with the grader's rights"
            if ok:
                self.sandbox = sandbox.Sandbox(exercise.id)
                self.sandbox_note = self.sandbox.describe()
        self.scratch = self.sandbox.box if self.sandbox else Path(tempfile.mkdtemp(prefix=f"grade-{exercise.id}-"))
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
        return self.scratch / f"bin-{build.name}" / self.name  # built by build_one, in the grade's folder

    def compiled(self, build):
        """(source as the build compiled it, its object file)."""
        if self.solution:
            source = ROOT / self.model / f"{self.name}.cpp"
            return source, build / self.model / "CMakeFiles" / f"{self.model}_{self.name}.dir" / f"{self.name}.cpp.o"
        return self.scratch / "src" / f"{self.name}.cpp", self.scratch / f"obj-{build.name}" / f"{self.name}.o"

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

    def commands(self, build):
        """The compile and link commands the build tree made for this exercise's student target
        (compile_commands.json, link.txt), turned to the grade's own source, object and binary."""
        target = f"student_{self.model}_{self.name}"
        placeholder = build / "student-src" / self.model / f"{self.name}.cpp"
        link_file = build / "coursework" / "CMakeFiles" / f"{target}.dir" / "link.txt"
        entry = rules.compile_entry(build, placeholder)
        if entry is None or not link_file.exists():  # an exercise newer than the build's configuration
            run(["cmake", str(build)], dict(os.environ), 600)
            entry = rules.compile_entry(build, placeholder)
        if entry is None or not link_file.exists():
            return None, None
        source, obj = self.compiled(build)
        binary = self.binary(build)
        for folder in (obj.parent, binary.parent):
            folder.mkdir(parents=True, exist_ok=True)
            self.give(folder)
        compile_words, cwd = entry
        compile_line = rules.retarget(compile_words, cwd, {str(placeholder): str(source)}, output=str(obj))
        link_words = shlex.split(link_file.read_text())
        link_line = rules.retarget(link_words, link_file.parent.parent.parent, {}, output=str(binary),
                                   objects={".cpp.o": str(obj)})
        return compile_line, link_line

    def give(self, path):
        """A folder the box's programs may write into (its host uid's)."""
        if self.sandbox and self.sandbox.root:
            os.chown(path, self.sandbox.uid, self.sandbox.uid)

    def build_one(self, build, label):
        """Compiles and links the student's file with the build tree's own commands, in the grade's
        box, into its folder. Returns (ok, warnings, errors): the compiler's lines about the file."""
        source, _ = self.compiled(build)
        if not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.source, source)
        compile_line, link_line = self.commands(build)
        if compile_line is None:
            self.log(f"  {label}: FAILED (no student target in {build.name}/: scripts/setup)")
            return False, [], [f"{build.name}/ has no build of student_{self.model}_{self.name}"]
        readable = [ROOT / "paracon", build / "paracon"]
        done = self.execute(compile_line, dict(os.environ), 600, readable=readable, building=True)
        if done.code == 0:
            linked = self.execute(link_line, dict(os.environ), 600, readable=readable, building=True)
            if linked.code != 0 and "undefined reference" in linked.stdout + linked.stderr:
                # The library older than its headers (a checkout newer than the build): build it, once.
                with launch.locked(build / "coursework" / ".libraries.lock"):
                    run(["cmake", "--build", str(build), "--target", "coursework_probes"], dict(os.environ), 900)
                linked = self.execute(link_line, dict(os.environ), 600, readable=readable, building=True)
            done = launch.Outcome(linked.code, done.stdout + linked.stdout, done.stderr + linked.stderr,
                                  done.seconds + linked.seconds)
        text = (done.stdout + done.stderr).replace(str(source), str(self.source))
        mine = [line for line in text.splitlines() if str(self.source) in line]
        warnings = [line for line in mine if ": warning:" in line and not criteria.IGNORED_WARNINGS.search(line)]
        errors = [line for line in mine if ": error:" in line] or (
            [] if done.code == 0 else [line for line in text.splitlines() if "error" in line.lower()][:5]
            or [f"the compiler stopped: {launch.exit_status(done.code)}"])
        self.log(f"  {label}: {'built' if done.code == 0 else 'FAILED'}"
                 + (f", {len(warnings)} warning(s)" if warnings else ""))
        return done.code == 0, warnings, errors

    def preprocessed(self, build):
        """The file as the compiler reads it (-E), made in the box; None when it cannot be made."""
        source, _ = self.compiled(build)
        entry = rules.compile_entry(build, source if self.solution else
                                    build / "student-src" / self.model / f"{self.name}.cpp")
        if entry is None:
            return None
        words, cwd = entry
        output = self.scratch / f"{build.name}.i"
        line = rules.retarget(words, cwd, {} if self.solution else
                              {str(build / "student-src" / self.model / f"{self.name}.cpp"): str(source)},
                              output=str(output), preprocess=True)
        readable = [ROOT / "paracon", source.parent] if self.solution else [ROOT / "paracon"]
        done = self.execute(line, dict(os.environ), 120, readable=readable, building=True)
        if done.code != 0 or not output.exists():
            return None
        return output.read_text(errors="replace")

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
        self.give(folder)
        return folder

    def readable(self):
        """What every run may read besides its box: the grader's probes, the program (a solution's,
        or a bug hunt's script's), the box's first process and the bookshop it may start."""
        paths = [BUILD / "coursework", ARCHER / "coursework", sandbox.INIT, sandbox.BOOKSHOP]
        if self.solution or self.script:
            paths += [self.binary(BUILD), self.binary(ARCHER)]
        if self.script and self.source and not self.source.is_relative_to(self.scratch):
            paths.append(self.source)  # the script itself (the project's fix, or a file given by path)
        return paths

    def execute(self, command, env, timeout, probe_dir=None, readable=(), building=False, checker=None, meter=None):
        """Runs `command` (after `checker`, the trusted check that starts it, outside the box) in
        the grade's box, or directly when there is none. The run's notes (what the box contained)
        are in outcome.notes; its CPU time is the cgroup's when there is one."""
        if not self.sandbox:
            if building:  # the compiler's temporaries in the grade's folder, removed with it
                env = dict(env, TMPDIR=str(self.scratch))
            outcome = run((checker or []) + list(command), env, timeout, probe_dir, meter=meter)
            outcome.notes = []
            return outcome
        bookshop = self.scratch / "bookshop" if self.exercise.spec.get("bookshop") and not building else None
        wrapped, summary = self.sandbox.wrap(command, env, list(readable) + ([] if building else self.readable()),
                                             building=building, bookshop=bookshop)
        group = self.sandbox.cgroup()
        if meter is not None and group and "pids" in group.paths:  # every process of the box, setsid or not
            meter.cgroup_procs = group.paths["pids"] / "cgroup.procs"
        try:
            outcome = run((checker or []) + wrapped, env, timeout, probe_dir,
                          preexec=self.sandbox.preexec(group, launch.limit_output), cwd=self.scratch, meter=meter)
            if group and group.cpu_seconds() is not None:
                outcome.cpu_seconds, outcome.cpu_from = group.cpu_seconds(), "cgroup"
            # The box's first process ends with the command's status: 128 + the signal that killed it.
            # The limits' own signals are named as such (the CPU time, a file's size, the memory).
            if outcome.code is not None and outcome.code - 128 in (9, 24, 25):
                outcome.code = 128 - outcome.code
            outcome.notes = self.sandbox.look(summary, group, outcome.code)
        finally:
            if group:
                group.remove()
        return outcome

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
        watching = meter.Meter()  # the kernel's view of the run, from outside it
        outcome = self.execute(command, env, spec.get("timeout", 120), folder, meter=watching)
        self.note_hang(f"the parallel run ({self.describe(spec.get('args', []), ranks, threads)})", outcome)
        try:  # the program's own timing of its work, for the speedup (reported, never graded)
            self.timings.setdefault((ranks, threads), float(json.loads(outcome.stdout)["seconds"]))
        except (ValueError, KeyError, TypeError):
            pass
        seen = evidence.read(folder)
        outcome.kernel = evidence.KernelView(watching, self.binary(BUILD))
        kept = [p for p in seen if outcome.kernel.ran(p)]
        outcome.ignored = len(seen) - len(kept)
        return outcome, kept

    def note_hang(self, what, outcome):
        self.launched += 1
        if outcome.code is None:
            self.hangs.append(f"{what}: killed after {outcome.seconds:.0f} s; {outcome.hang}")

    def shape(self, workers):
        if self.model == "hybrid":
            return int(workers[0]), int(workers[1])
        return (int(workers), 1) if self.model == "mpi" else (1, int(workers))

    def kept_binary(self):
        """Where a student's program stays after the grade (the student target's own place), so
        that the commands the report gives can be run: the grade's folder goes with the grade."""
        return BUILD / "student" / self.model / self.name

    def keep_binary(self):
        built = self.binary(BUILD)
        if self.solution or self.script or not built.is_file():
            return
        target = self.kept_binary()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
            shutil.copy2(built, partial)
            os.replace(partial, target)
        except OSError:
            pass  # the build tree is read-only to this user: the hints name a program that is not there

    def describe(self, args, ranks, threads):
        binary = self.binary(BUILD) if self.solution or self.script else self.kept_binary()
        binary = binary.relative_to(ROOT) if binary.is_relative_to(ROOT) else binary
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
                site = self.scratch / "bookshop"
                if self.sandbox:  # served inside each run's box, on its own loopback
                    subprocess.run(shop + ["generate", str(site)], check=True, stdout=subprocess.DEVNULL)
                    (site / "port").write_text(f"{sandbox.BOOKSHOP_PORT}\n")
                    for path in [site, *site.rglob("*")]:  # the server inside writes its port file there
                        self.give(path)
                else:
                    subprocess.run(shop + ["start", str(site)], check=True, stdout=subprocess.DEVNULL)
                    serving = True
                port = (site / "port").read_text().strip()
                self.bookshop_url = f"http://127.0.0.1:{port}/slow50/catalogue/page-{{}}.html"
            for key in ORDER:
                if key in self.criteria:
                    self.log(f"- {NAMES[key]} ...")
                    getattr(criteria, key)(self)
            return list(self.criteria.values())
        finally:
            if serving:
                subprocess.run(shop + ["stop", str(self.scratch / "bookshop")], stdout=subprocess.DEVNULL)
            self.keep_binary()
            if self.sandbox:
                self.sandbox.close()
            else:
                shutil.rmtree(self.scratch, ignore_errors=True)
