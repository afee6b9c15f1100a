#!/usr/bin/env python3
"""The coursework: every program of the project is an exercise whose solution it is, and a few
bug hunts. Run through scripts/exercise.

    scripts/exercise list                      the exercises and bug hunts
    scripts/exercise show NAME                 what to do, which notebook cell, how to check
    scripts/exercise start NAME [--force]      write the skeleton to work/<model>/<name>.cpp
    scripts/exercise check NAME [--file F] [--json FILE] [--solution]
                                               grade work/<model>/<name>.cpp (or F; --solution:
                                               the project's own program): a table of criteria,
                                               "N passed, N failed", exit 0 when all pass
    scripts/exercise handout DIR               a tree with the skeletons and the graders, and no
                                               solution, for students
    scripts/exercise index                     the exercises as a Markdown table
    scripts/exercise page                      coursework/EXERCISES.md: the index and every text

NAME is <model>-<program> (openmp-range_sum, mpi-pool_map, hybrid-big_power, ...) or a bug
hunt's name (openmp-twin_primes, ...). The skeleton is made from the program itself: the lines
between its `//@` markers are the lesson, and the skeleton has the task instead
(coursework/markers.py). Each exercise's runs and thresholds: coursework/exercises/NAME.toml.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "scripts"))
import grade  # noqa: E402
import gradebook  # noqa: E402
import markers  # noqa: E402
import sandbox  # noqa: E402
import runner  # noqa: E402  the scripts' command line and whole-file writes

WORK = Path(os.environ.get("PARACON_WORK", ROOT / "work"))  # where students' files go (tests move it)
SOURCE_LIMIT = 1 << 20  # bytes: every program of the course is under 50 KiB


@dataclass
class Exercise:
    id: str
    model: str
    name: str
    spec: dict

    @property
    def bughunt(self):
        return self.spec.get("kind") == "bughunt"

    @property
    def source(self):
        """The file the exercise is made from: the program (or the bug hunt's fixed program)."""
        return ROOT / self.spec.get("source", f"{self.model}/{self.name}.cpp")

    @property
    def work(self):
        return WORK / self.model / f"{self.name}{self.source.suffix}"

    def text(self):
        return self.source.read_text()

    def skeleton(self):
        return markers.skeleton(self.text(), str(self.source.relative_to(ROOT)))

    def tasks(self):
        return markers.tasks(self.text(), str(self.source.relative_to(ROOT)))


def exercises():
    found = {}
    for path in sorted((HERE / "exercises").glob("*.toml")):
        model, _, name = path.stem.partition("-")
        with open(path, "rb") as f:
            found[path.stem] = Exercise(path.stem, model, name, tomllib.load(f))
    return found


class UsageError(Exception):
    """A wrong command line or a file that cannot be graded: one line, exit code 2."""


def find(name):
    every = exercises()
    if name not in every:
        close = [e for e in every if name in e]
        close = close if name and len(close) <= 6 else []
        raise UsageError(f"no exercise '{name[:60]}'" + (f"; did you mean {', '.join(close)}?" if close else
                                                         "; `scripts/exercise list` lists them"))
    return every[name]


def show(exercise):
    s = exercise.spec

    def para(text, indent="", first=None):
        return textwrap.fill(" ".join(text.split()), 100, initial_indent=first or indent, subsequent_indent=indent)

    out = [f"{exercise.id}: {s['title']}", ""]
    if s.get("notebook"):
        out += [para(f"Notebook cell: {s['notebook']}"), ""]
    if exercise.bughunt:
        out += [s["story"], ""]
        out += [f"Your file: {exercise.work.relative_to(ROOT)} (scripts/exercise start {exercise.id})", ""]
    else:
        out += [para(f"Your file: work/{exercise.model}/{exercise.name}.cpp, a copy of "
                     f"{exercise.model}/{exercise.name}.cpp without its lesson (scripts/exercise start "
                     f"{exercise.id}). Everything else works: write the marked parts."), ""]
        for number, text, hint in exercise.tasks():
            out.append(para(text, "     ", f"  {number}. "))
            if hint:
                out.append(para(f"Hint: {hint}", "     "))
        out.append("")
    shown = dict(grade.NAMES, correct=f"correct at {worker_span(exercise)}", parallel="really parallel")
    wanted = s.get("criteria", grade.DEFAULT_CRITERIA[exercise.model])
    out += [para(f"Check: scripts/exercise check {exercise.id}  ({', '.join(shown[k] for k in wanted)})")]
    if s.get("going_further"):
        out += ["", "Going further:"] + [para(g, "    ", "  - ") for g in s["going_further"]]
    return "\n".join(out)


def worker_span(exercise):
    """'1 to 4 threads', '2 to 4 ranks', '1x1 to 3x2 ranks x threads': the correct runs' shapes."""
    shapes = [w for case in exercise.spec.get("correct", []) for w in case["workers"]]
    if exercise.model == "hybrid" and shapes and isinstance(shapes[0], list):
        shapes = [f"{r}x{t}" for r, t in sorted(tuple(w) for w in shapes)]
        return (f"{shapes[0]} to {shapes[-1]}" if shapes[0] != shapes[-1] else shapes[0]) + " ranks x threads"
    unit = "threads" if exercise.model == "openmp" else "ranks"
    if not shapes:
        return unit
    low, high = min(shapes), max(shapes)
    return f"{low} to {high} {unit}" if low != high else f"{low} {unit[:-1] if low == 1 else unit}"


def shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def start(exercise, force):
    target = exercise.work
    if target.exists() and not target.is_file():
        raise UsageError(f"{shown(target)} exists and is not a file: move it away first")
    if target.exists() and not force:
        raise UsageError(f"{shown(target)} exists: your work is kept (--force writes the skeleton over it)")
    blocking = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), None)
    if blocking:
        raise UsageError(f"{shown(blocking)} is a file, where the folder for {target.name} must be")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        runner.write_whole(target, exercise.skeleton())
    except OSError as e:
        raise UsageError(f"cannot write {shown(target)}: {e.strerror}") from None
    print(f"wrote {shown(target)}: the skeleton of {exercise.id}\n")
    print(show(exercise))


def ensure_builds(exercise, solution):
    """The builds the grader needs, configured (scripts/setup does it, once)."""
    needed = ["default"] + (["archer"] if exercise.model in ("openmp", "hybrid") else [])
    for preset in needed:
        folder = ROOT / ("build" if preset == "default" else f"build-{preset}")
        probes = [folder / "coursework" / name for name in (("libompt_probe.so", "libpmpi_probe.so")
                                                            if preset == "default" else ("libpmpi_probe.so",))]
        if not (folder / "CMakeCache.txt").exists() or not all(p.exists() for p in probes):
            print(f"exercise: setting up {folder.name}/ first (scripts/setup {preset})", file=sys.stderr)
            subprocess.run([str(ROOT / "scripts" / "setup"), preset], check=True)


def check(exercise, file, solution, json_path, quiet, seed=None, sandboxed=True, require_sandbox=False):
    if solution and exercise.bughunt:  # the reference fix: the file without its bug, built as a student's
        source = ROOT / "build" / "coursework-fixes" / exercise.source.name
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(markers.solution(exercise.text(), str(exercise.source.relative_to(ROOT))))
        solution = False
    elif solution:
        source = exercise.source
    else:
        source = Path(file).resolve() if file else exercise.work
        if not source.exists():
            raise UsageError(f"{source} does not exist" + ("" if file else f": `scripts/exercise start {exercise.id}` "
                                                                          "writes the skeleton there"))
        if not source.is_file() or not os.access(source, os.R_OK):
            raise UsageError(f"{source} is not a file this user can read")
        if source.stat().st_size > SOURCE_LIMIT or b"\0" in source.read_bytes():
            raise UsageError(f"{source} is not a source file: binary, or larger than {SOURCE_LIMIT >> 20} MiB")
    if require_sandbox:
        ok, why = sandbox.check()
        if not ok:
            raise UsageError(f"no sandbox here, and --require-sandbox: {why}")
    ensure_builds(exercise, solution)
    log = (lambda text: None) if quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    log(f"grading {source} ({exercise.id})")
    grader = grade.Grader(exercise, source, solution, log, seed, sandboxed)
    criteria = grader.grade()
    # The grade is made: a signal from now on changes nothing (it would otherwise end the process
    # with the table printed and no verdict, or an exit status of its own).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    shown_source = shown(source)
    notes = grader.sandbox.notes if grader.sandbox else []
    print(grade.table(exercise, shown_source, criteria, grader.seed, grader.sandbox_note, notes))
    if json_path:
        report = grade.results_json(exercise, shown_source, criteria, grader.seed, grader.sandbox_note, notes)
        runner.write_whole(json_path, json.dumps(report, indent=1) + "\n")
    return 0 if all(c.passed for c in criteria) else 1


def index():
    """The exercises as a Markdown table (coursework/EXERCISES.md; a handout's EXERCISES.md)."""
    rows = ["| exercise | kind | what it is about | notebook cell | the untouched file fails |", "|---|---|---|---|---|"]
    for e in exercises().values():
        s = e.spec
        kind = "bug hunt" if e.bughunt else f"{len(e.tasks())} task{'s' if len(e.tasks()) > 1 else ''}"
        fails = ", ".join(grade.NAMES[k] for k in s.get("skeleton_fails", []))
        rows.append(f"| `{e.id}` | {kind} | {s['title']} | {s.get('notebook', '-')} | {fails} |")
    return "\n".join(rows) + "\n"


# What a handout leaves out: the solutions (the programs, the bug hunts' fixed versions), the
# tests of the programs, the benchmarks and the repository's own files.
HANDOUT_SKIP = {".git", "work", "bench", ".ci", "__pycache__"}  # and every build*/


def handout(folder, assign=None):
    """A standalone tree for students: every program replaced by its skeleton (so nothing in it
    holds a solution), the bug hunts as their buggy versions, the shared library, the graders,
    the checks, the exercise texts, and a build without the project's tests. It is made beside
    the target under a hidden name and renamed into place when whole: an interrupted handout
    leaves nothing, and no solution is ever copied, not even for a moment (the programs are
    written as their skeletons, never copied and then replaced)."""
    target = Path(folder).absolute()
    blocking = next((p for p in [target, *target.parents] if p.exists() and not p.is_dir()), None)
    if blocking:
        raise UsageError(f"{blocking} is a file, not a folder" if blocking == target else
                         f"{blocking} is a file, where a folder for the handout must be")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} exists and is not empty")
    if target.resolve().is_relative_to(ROOT):
        raise UsageError("write the handout outside the repository")
    parent = next((p for p in target.parents if p.exists()), Path("/"))
    if not os.access(parent, os.W_OK | os.X_OK) or str(parent).startswith(("/proc", "/sys")):
        raise UsageError(f"cannot write the handout under {parent}")
    every = exercises()
    solutions = {e.source.resolve() for e in every.values()}

    def ignore(directory, names):
        here = Path(directory)
        skipped = {n for n in names if n in HANDOUT_SKIP or n.startswith("build") or n.endswith(".pyc")}
        skipped |= {n for n in names if (here / n).resolve() in solutions}  # written as skeletons below
        if here == ROOT / "tests":  # the graders' checks only
            skipped |= {n for n in names if n not in ("check_program.py", "checks", "scrape")}
        if here == ROOT / "tests" / "scrape":
            skipped |= {n for n in names if n != "bookshop.py"}
        return skipped

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        making = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as e:
        raise UsageError(f"cannot write the handout under {target.parent}: {e.strerror}") from None
    try:
        tree = making / "tree"
        shutil.copytree(ROOT, tree, ignore=ignore)
        for e in every.values():
            copy = tree / e.source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(e.skeleton())
        # Programs with no exercise (hybrid/where) stay as they are: they are not solutions.
        leftovers = [p for p in solutions if not (tree / p.relative_to(ROOT)).exists()]
        assert not leftovers, leftovers
        patch_handout_build(tree)
        (tree / "EXERCISES.md").write_text(page())
        chosen = [every[n] for n in assign] if assign else list(every.values())
        (tree / "README.md").write_text(handout_readme(chosen))
        classroom(tree, chosen)
        if target.exists():
            target.rmdir()  # empty: checked above
        tree.rename(target)
    except BaseException:
        shutil.rmtree(making, ignore_errors=True)
        raise
    shutil.rmtree(making, ignore_errors=True)
    print(f"wrote {target}: {len(every)} exercises' skeletons, no solution")
    return 0


def handout_readme(chosen):
    names = ", ".join(f"`{e.id}`" for e in chosen)
    return f"""# Parallelism and concurrency: the exercises

Each exercise is a program with its lesson cut out: you write the parallel construct the
notebook cell is about, and the grader proves your program correct, really parallel (from inside
the OpenMP runtime and the MPI library, and from the kernel's own accounting) and free of data
races. [EXERCISES.md](EXERCISES.md) lists them all, with every task. Assigned here: {names}.

```sh
scripts/setup && scripts/setup archer      # once: the packages, then the two builds
scripts/exercise list
scripts/exercise start openmp-range_sum    # writes work/openmp/range_sum.cpp
scripts/exercise check openmp-range_sum    # a table of criteria, N passed, N failed
```

The grader builds and runs your file in a sandbox (bubblewrap): its own user, the system
read-only, no network, only its own folder writable. Where no sandbox can start, the grade says
so in its first line.

## For instructors

- **A whole class at once:** `scripts/exercise grade-all EXERCISE CLASS_FOLDER [--jobs N]`, with
  one folder (or one file) per student, named after the student: each is graded in a sandbox of
  its own, the table and `results.json` kept beside each submission, and
  `CLASS_FOLDER/gradebook-EXERCISE.csv` written at the end (a column per criterion, the score, the
  seconds). Interrupted and run again, it goes on where it stopped. On a SLURM cluster:
  `jobs/grade-class.sh EXERCISE CLASS_FOLDER` (one array task per submission, then the gradebook).
- **Gradescope:** `scripts/exercise gradescope EXERCISE OUT` writes `OUT/autograder.zip` (its
  `setup.sh` installs the packages and builds; its `run_autograder` grades the submission into
  `results/results.json`). Upload the zip as the assignment's autograder; students submit the one
  file (`range_sum.cpp`, say).
- **GitHub Classroom:** `.github/classroom/autograding.json` (one test per assigned exercise:
  `scripts/exercise check NAME`, passing when every criterion passes) and
  `.github/workflows/classroom.yml` (the same with GitHub's command grader) are in this tree. Keep
  the tests of the exercises you assign (`scripts/exercise handout DIR --assign a,b` writes only
  those).
"""


def classroom(tree, chosen):
    """GitHub Classroom's autograding: the classic autograding.json and the workflow of its
    command grader, one test per assigned exercise."""
    setup = "sudo scripts/setup && sudo scripts/setup archer"
    tests = [{"name": e.id, "setup": setup if k == 0 else "", "run": f"scripts/exercise check {e.id} --quiet",
              "input": "", "output": "", "comparison": "included", "timeout": 30, "points": 5}
             for k, e in enumerate(chosen)]
    folder = tree / ".github" / "classroom"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "autograding.json").write_text(json.dumps({"tests": tests}, indent=2) + "\n")
    steps = ["      - uses: actions/checkout@v4",
             "      - name: set up (packages, builds)",
             f"        run: {setup}"]
    for e in chosen:
        key = e.id.replace("-", "_")
        steps += [f"      - name: {e.id}", f"        id: {key}",
                  "        uses: classroom-resources/autograding-command-grader@v1",
                  "        with:", f"          test-name: {e.id}",
                  f"          command: scripts/exercise check {e.id} --quiet", "          timeout: 30",
                  "          max-score: 5"]
    steps += ["      - name: Autograding Reporter", "        uses: classroom-resources/autograding-grading-reporter@v1",
              "        env:"]
    steps += [f"          {e.id.replace('-', '_').upper()}_RESULTS: \"${{{{steps.{e.id.replace('-', '_')}.outputs.result}}}}\""
              for e in chosen]
    steps += ["        with:", "          runners: " + ",".join(e.id.replace("-", "_") for e in chosen)]
    workflow = ["name: Autograding Tests", "on: [push, workflow_dispatch, repository_dispatch]",
                "permissions:", "  checks: write", "  actions: read", "  contents: read", "jobs:",
                "  run-autograding-tests:", "    runs-on: ubuntu-latest",
                "    if: github.actor != 'github-classroom[bot]'", "    steps:"] + steps
    workflows = tree / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    (workflows / "classroom.yml").write_text("\n".join(workflow) + "\n")


RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope's run_autograder for {exercise}: the student's file from the submission folder,
# graded by the handout's grader into results/results.json (Gradescope's format). Gradescope
# keeps everything under /autograder; AUTOGRADER and HANDOUT move it (for a test).
set -uo pipefail
autograder=${{AUTOGRADER:-/autograder}}
handout=${{HANDOUT:-$autograder/source/handout}}
results=$autograder/results/results.json
mkdir -p "$autograder/results"
file=$autograder/submission/{file}
if [[ ! -f $file ]]; then # the only {suffix} file of the submission, wherever it lies
  mapfile -t found < <(find "$autograder/submission" -type f -name '*{suffix}')
  if ((${{#found[@]}} == 1)); then file=${{found[0]}}; fi
fi
if [[ ! -f $file ]]; then
  printf '{{"score": 0, "output": "no {file} in the submission (submit that one file)", "tests": []}}\n' >"$results"
  exit 0
fi
"$handout/scripts/exercise" check {exercise} --file "$file" --json "$results" --quiet
if [[ ! -s $results ]]; then
  printf '{{"score": 0, "output": "the grader could not grade the file", "tests": []}}\n' >"$results"
fi
exit 0
"""

SETUP_SH = """#!/usr/bin/env bash
# Gradescope's setup.sh: the packages and the two builds of the handout the grader needs.
set -euo pipefail
cd /autograder/source/handout
scripts/setup default
scripts/setup archer
"""


def gradescope(exercise, folder):
    """A Gradescope autograder for one exercise: FOLDER/autograder.zip (setup.sh, run_autograder
    and a handout, which holds no solution), and the same files unpacked beside it."""
    target = Path(folder).absolute()
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} exists and is not empty")
    handout(target / "handout", [exercise.id])
    (target / "run_autograder").write_text(RUN_AUTOGRADER.format(exercise=exercise.id, file=exercise.source.name,
                                                                 suffix=exercise.source.suffix))
    (target / "setup.sh").write_text(SETUP_SH)
    for name in ("run_autograder", "setup.sh"):
        (target / name).chmod(0o755)
    import zipfile
    with zipfile.ZipFile(target / "autograder.zip.partial", "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(target.rglob("*")):
            if path.is_file() and path.name != "autograder.zip.partial":
                info = zipfile.ZipInfo.from_file(path, path.relative_to(target))
                info.external_attr = (path.stat().st_mode & 0o777) << 16
                with open(path, "rb") as f:
                    z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
    (target / "autograder.zip.partial").rename(target / "autograder.zip")
    print(f"wrote {target / 'autograder.zip'}: Gradescope's autograder for {exercise.id} (upload it as the "
          "assignment's autograder; students submit one file)")
    return 0


def patch_handout_build(target):
    """The handout builds no tests and no benchmarks; its archer preset builds the programs,
    the coursework's probes and nothing else."""
    presets = json.loads((target / "CMakePresets.json").read_text())
    for preset in presets.get("configurePresets", []):
        preset.setdefault("cacheVariables", {}).update(PARACON_TESTS="OFF", PARACON_BENCH="OFF")
    for preset in presets.get("buildPresets", []):
        if "targets" in preset:
            preset["targets"] = ["coursework_probes"]
    presets["testPresets"] = []
    (target / "CMakePresets.json").write_text(json.dumps(presets, indent=2) + "\n")


def page():
    """coursework/EXERCISES.md (and a handout's): how to work, the index, every exercise's text."""
    lines = ["# Exercises", "",
             "<!-- written by `scripts/exercise page`: edit coursework/exercises/*.toml and the programs' //@ markers -->",
             "",
             "Each exercise is one program of the course with its lesson cut out: you write the",
             "parallel construct the notebook cell is about, and the grader proves your program",
             "correct, really parallel (from inside the OpenMP runtime and the MPI library, not",
             "from what it prints) and free of data races. Each bug hunt is a program that passes",
             "its author's tests and is wrong: find the bug, fix it, and the grader checks the fix.", "",
             "<!-- not run: set-up, a skeleton written and a grade; the coursework tests grade every exercise -->",
             "```sh",
             "scripts/setup && scripts/setup archer      # once: packages, then the two builds",
             "scripts/exercise list",
             "scripts/exercise start openmp-range_sum    # writes work/openmp/range_sum.cpp",
             "scripts/exercise check openmp-range_sum    # a table of criteria, N passed, N failed",
             "sbatch jobs/grade.sbatch openmp-range_sum  # the same, as a SLURM job",
             "```", "", index()]
    for e in exercises().values():
        lines += ["", f"## {e.id}", "", "```text", show(e), "```"]
    return "\n".join(lines) + "\n"


def main():
    parser = runner.Parser(prog="exercise", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the exercises and bug hunts")
    p = commands.add_parser("show", help="an exercise's text")
    p.add_argument("name")
    p = commands.add_parser("start", help="write an exercise's skeleton to work/")
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help="write it over your file")
    p = commands.add_parser("check", help="grade a file")
    p.add_argument("name")
    p.add_argument("--file", help="the file to grade (default: work/<model>/<name>.cpp)")
    p.add_argument("--solution", action="store_true", help="grade the project's own program (not in handouts)")
    p.add_argument("--json", metavar="FILE", type=runner.output_file, help="write the grade as JSON (Gradescope's results.json format)")
    p.add_argument("--quiet", action="store_true", help="only the table")
    p.add_argument("--seed", type=runner.whole_number(1, 10**9), help="draw the sizes of the correct runs from this "
                                                                      "seed (the report names the seed it drew from)")
    boxed = p.add_mutually_exclusive_group()
    boxed.add_argument("--require-sandbox", action="store_true",
                       help="refuse to grade where no sandbox can start (bubblewrap, user namespaces)")
    boxed.add_argument("--no-sandbox", action="store_true", help="run the student's code with your rights (your own file)")
    p = commands.add_parser("grade-all", help="grade a class: one folder or file per student; a gradebook")
    p.add_argument("name")
    p.add_argument("folder", help="one folder (or one file) per student, named after the student")
    p.add_argument("--csv", metavar="FILE", type=runner.output_file,
                   help="the gradebook (default: FOLDER/gradebook-NAME.csv)")
    p.add_argument("--jobs", type=runner.whole_number(1, 64), default=gradebook.default_jobs(),
                   help=f"grades at once (default {gradebook.default_jobs()}: one per two cores)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--task", type=runner.whole_number(0, 10**6), help="grade submission K only (a SLURM array task)")
    which.add_argument("--collect", action="store_true", help="grade nothing: write the gradebook of what is graded")
    which.add_argument("--count", action="store_true", help="print how many submissions the folder holds")
    p.add_argument("--require-sandbox", action="store_true", help="refuse to grade where no sandbox can start")
    p = commands.add_parser("handout", help="write a tree for students, without solutions")
    p.add_argument("folder")
    p.add_argument("--assign", help="the exercises its GitHub Classroom tests grade (default: all), comma-separated")
    p = commands.add_parser("gradescope", help="write a Gradescope autograder for an exercise")
    p.add_argument("name")
    p.add_argument("folder")
    p = commands.add_parser("skeleton", help="print an exercise's skeleton (or, --serial, its serial mutant)")
    p.add_argument("name")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--serial", action="store_true", help="the solution with the OpenMP pragmas of its lesson removed")
    which.add_argument("--solution", action="store_true", help="the solution without its markers")
    commands.add_parser("index", help="the exercises as a Markdown table")
    commands.add_parser("page", help="coursework/EXERCISES.md: the index and every exercise's text")
    args = parser.parse_args()

    if args.command == "list":
        every = exercises()
        width = max(len(e) for e in every)
        for e in every.values():
            state = "started" if e.work.exists() else ""
            kind = "bug hunt" if e.bughunt else f"{len(e.tasks())} task(s)"
            print(f"{e.id.ljust(width)}  {kind:10}  {e.spec['title']}  {state}".rstrip())
        return 0
    if args.command == "index":
        print(index(), end="")
        return 0
    if args.command == "page":
        print(page(), end="")
        return 0
    if args.command == "handout":
        assign = args.assign.split(",") if args.assign else None
        for name in assign or []:
            find(name)
        return handout(args.folder, assign)
    if args.command == "gradescope":
        return gradescope(find(args.name), args.folder)
    if args.command == "grade-all":
        return grade_all(find(args.name), args)
    exercise = find(args.name)
    if args.command == "show":
        print(show(exercise))
    elif args.command == "start":
        start(exercise, args.force)
    elif args.command == "skeleton":
        text = exercise.text()
        where = str(exercise.source.relative_to(ROOT))
        print(markers.serial(text, where) if args.serial else markers.solution(text, where) if args.solution
              else exercise.skeleton(), end="")
    elif args.command == "check":
        if args.solution and exercise.source.exists() and not markers.blocks(exercise.text()):
            raise UsageError("no solution here (a handout's programs are skeletons)")
        return check(exercise, args.file, args.solution, args.json, args.quiet, args.seed, not args.no_sandbox,
                     args.require_sandbox)
    return 0


def grade_all(exercise, args):
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of submissions")
    every = gradebook.submissions(folder, exercise)
    if args.count:
        print(len(every))
        return 0
    if not every:
        raise UsageError(f"{folder} holds no submission: a folder or a {exercise.source.suffix} file per student")
    if args.task is not None and args.task >= len(every):
        raise UsageError(f"no submission {args.task}: {folder} holds {len(every)} (0 to {len(every) - 1})")
    if args.require_sandbox:
        ok, why = sandbox.check()
        if not ok:
            raise UsageError(f"no sandbox here, and --require-sandbox: {why}")
    csv_path = args.csv or folder / f"gradebook-{exercise.id}.csv"
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    if not args.collect:
        ensure_builds(exercise, False)
        extra = ["--require-sandbox"] if args.require_sandbox else []
        grading = gradebook.Class(exercise, folder, args.jobs, extra, log)
        chosen = [every[args.task]] if args.task is not None else every
        try:
            grading.grade(chosen)
        except KeyboardInterrupt:
            kept = sum(1 for s in every if s.graded(exercise.id))
            print(f"exercise: interrupted: {kept} of {len(every)} graded so far; run it again to go on", file=sys.stderr)
            return 130
    if args.task is None:
        runner.write_whole(csv_path, gradebook.book(exercise, every))
        graded = sum(1 for s in every if s.graded(exercise.id))
        print(f"gradebook: {csv_path} ({graded} of {len(every)} submissions graded)")
    return 0


def interrupted(signum, frame):
    raise KeyboardInterrupt  # the grader kills the run it is waiting for, then we stop


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, interrupted)
    try:
        sys.exit(main())
    except (UsageError, markers.MarkerError) as e:
        print(f"exercise: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("exercise: interrupted", file=sys.stderr)
        sys.exit(130)
