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
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "scripts"))
import grade  # noqa: E402
import markers  # noqa: E402
import runner  # noqa: E402  the scripts' command line and whole-file writes

WORK = ROOT / "work"
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


def start(exercise, force):
    target = exercise.work
    if target.exists() and not force:
        raise UsageError(f"{target.relative_to(ROOT)} exists: your work is kept (--force writes the skeleton over it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(exercise.skeleton())
    print(f"wrote {target.relative_to(ROOT)}: the skeleton of {exercise.id}\n")
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


def check(exercise, file, solution, json_path, quiet, seed=None):
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
    ensure_builds(exercise, solution)
    log = (lambda text: None) if quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    log(f"grading {source} ({exercise.id})")
    grader = grade.Grader(exercise, source, solution, log, seed)
    criteria = grader.grade()
    # The grade is made: a signal from now on changes nothing (it would otherwise end the process
    # with the table printed and no verdict, or an exit status of its own).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
    print(grade.table(exercise, shown, criteria, grader.seed))
    if json_path:
        report = grade.results_json(exercise, shown, criteria, grader.seed)
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


def handout(folder):
    """A standalone tree for students: every program replaced by its skeleton (so nothing in it
    holds a solution), the bug hunts as their buggy versions, the shared library, the graders,
    the checks, the exercise texts, and a build without the project's tests."""
    target = Path(folder).resolve()
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} exists and is not empty")
    if target.is_relative_to(ROOT):
        raise UsageError("write the handout outside the repository")
    every = exercises()
    solutions = {e.source.resolve() for e in every.values()}

    def ignore(directory, names):
        here = Path(directory)
        skipped = {n for n in names if n in HANDOUT_SKIP or n.startswith("build") or n.endswith(".pyc")}
        if here == ROOT / "tests":  # the graders' checks only
            skipped |= {n for n in names if n not in ("check_program.py", "checks", "scrape")}
        if here == ROOT / "tests" / "scrape":
            skipped |= {n for n in names if n != "bookshop.py"}
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore)
    for e in every.values():
        copy = target / e.source.relative_to(ROOT)
        copy.write_text(e.skeleton())
    # Programs with no exercise (hybrid/where) stay as they are: they are not solutions.
    leftovers = [p for p in solutions if not (target / p.relative_to(ROOT)).exists()]
    assert not leftovers, leftovers
    patch_handout_build(target)
    (target / "EXERCISES.md").write_text(page())
    print(f"wrote {target}: {len(every)} exercises' skeletons, no solution")
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
    p = commands.add_parser("handout", help="write a tree for students, without solutions")
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
        return handout(args.folder)
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
        return check(exercise, args.file, args.solution, args.json, args.quiet, args.seed)
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
