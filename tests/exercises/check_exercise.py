#!/usr/bin/env python3
"""Keeps the coursework honest: grades one exercise's solution, skeleton, serial mutant or bug,
and checks the grader's verdict (tests/exercises/CMakeLists.txt runs it for every exercise).

    check_exercise.py solution EXERCISE        every criterion passes
    check_exercise.py skeleton EXERCISE        the untouched skeleton (a bug hunt: the buggy file)
                                               fails the criteria its exercise file names, and no
                                               other (skeleton_fails, skeleton_may_fail)
    check_exercise.py mutant EXERCISE [--replace OLD NEW]
                                               the solution made serial (its lesson's OpenMP
                                               pragmas removed, or OLD replaced by NEW) passes
                                               `correct` and fails `parallel`
    check_exercise.py handout EXERCISE [DIR]   a handout written to DIR (outside the repository;
                                               by default a temporary folder, removed if all passes)
                                               holds no solution, builds, grades the untouched
                                               skeleton (fails) and the solution copied in (passes)
    check_exercise.py page                     coursework/EXERCISES.md is what `scripts/exercise
                                               page` writes today (no exercise text out of date)
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "scripts" / "exercise"
NAMES = {"race_free": "race-free", "no_hang": "no hang"}


def fail(message, output=""):
    print(f"FAIL: {message}")
    if output:
        print(output)
    sys.exit(1)


def grade(name, kind, *extra, cwd=ROOT, exercise=EXERCISE):
    """Runs the grader; returns (exit code, table, {criterion: passed})."""
    report = Path(cwd) / "build" / "exercise-tests" / f"{name}-{kind}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([str(exercise), "check", name, *extra, "--json", str(report), "--quiet"],
                          capture_output=True, text=True, cwd=cwd, timeout=900)
    if not report.exists():
        fail(f"the grader wrote no report (exit code {done.returncode})", done.stdout + done.stderr)
    tests = json.loads(report.read_text())["tests"]
    verdicts = {t["name"]: t["status"] == "passed" for t in tests}
    print(done.stdout)
    return done.returncode, done.stdout + done.stderr, verdicts


def spec(name):
    with open(ROOT / "coursework" / "exercises" / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def written(name, text, kind):
    path = ROOT / "build" / "exercise-tests" / kind / Path(spec(name).get("source", f"x/{name}.cpp")).name
    if not spec(name).get("source"):
        path = path.with_name(f"{name}.cpp")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def exercise_output(*args):
    return subprocess.run([str(EXERCISE), *args], capture_output=True, text=True, check=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["solution", "skeleton", "mutant", "handout", "page"])
    parser.add_argument("exercise", nargs="?")
    parser.add_argument("folder", nargs="?", help="handout: where to write it")
    parser.add_argument("--replace", nargs=2, metavar=("OLD", "NEW"), help="mutant: a text replacement")
    args = parser.parse_args()
    name = args.exercise
    if args.mode == "page":
        page = ROOT / "coursework" / "EXERCISES.md"
        if page.read_text() != exercise_output("page"):
            fail(f"{page.relative_to(ROOT)} is out of date: scripts/exercise page > {page.relative_to(ROOT)}")
        print(f"ok: {page.relative_to(ROOT)} is up to date")
        return
    if not name:
        parser.error("which exercise?")

    if args.mode == "solution":
        code, output, verdicts = grade(name, "solution", "--solution")
        failed = [k for k, ok in verdicts.items() if not ok]
        if code != 0 or failed:
            fail(f"the solution fails {failed}", output)
        print(f"ok: {name}'s solution passes all {len(verdicts)} criteria")

    elif args.mode == "skeleton":
        s = spec(name)
        path = written(name, exercise_output("skeleton", name), "skeleton")
        code, output, verdicts = grade(name, "skeleton", "--file", str(path))
        failed = {k for k, ok in verdicts.items() if not ok}
        must = {NAMES.get(k, k) for k in s["skeleton_fails"]}
        may = must | {NAMES.get(k, k) for k in s.get("skeleton_may_fail", [])}
        if code == 0 or not must <= failed or not failed <= may:
            fail(f"the skeleton fails {sorted(failed)}; it must fail {sorted(must)} and may fail only {sorted(may)}",
                 output)
        print(f"ok: {name}'s skeleton fails {sorted(failed)}, as it must")

    elif args.mode == "mutant":
        if args.replace:
            text = exercise_output("skeleton", name, "--solution")
            if text.count(args.replace[0]) != 1:
                fail(f"'{args.replace[0]}' is not once in {name}'s solution: the mutant is out of date")
            text = text.replace(*args.replace)
        else:
            text = exercise_output("skeleton", name, "--serial")
        path = written(name, text, "mutant")
        code, output, verdicts = grade(name, "mutant", "--file", str(path))
        if not verdicts.get("correct") or verdicts.get("parallel") is not False:
            fail(f"the serial mutant should pass correct and fail parallel: {verdicts}", output)
        print(f"ok: {name}'s serial mutant is correct and caught as not parallel")

    else:
        if args.folder:
            handout(name, Path(args.folder).resolve())
        else:  # a folder of its own, outside the repository, removed when all went well
            folder = Path(tempfile.mkdtemp(prefix="paracon-handout-"))
            handout(name, folder / "handout")
            shutil.rmtree(folder, ignore_errors=True)


def handout(name, folder):
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run([str(EXERCISE), "handout", str(folder)], check=True)
    # No solution in it: no program or bug hunt keeps a marked block, and each is its skeleton.
    leaks = []
    for path in sorted((ROOT / "coursework" / "exercises").glob("*.toml")):
        s = tomllib.loads(path.read_text())
        source = s.get("source", f"{path.stem.split('-', 1)[0]}/{path.stem.split('-', 1)[1]}.cpp")
        copy = folder / source
        if not copy.exists() or copy.read_text() != exercise_output("skeleton", path.stem):
            leaks.append(f"{source} is not {path.stem}'s skeleton")
        elif "//@" in copy.read_text() or "#@ " in copy.read_text():
            leaks.append(f"{source} keeps exercise markers")
    for stray in ("tests/programs", "tests/unit", "bench", ".git", "work"):
        if (folder / stray).exists():
            leaks.append(f"{stray} is in the handout")
    if leaks:
        fail("the handout holds what it should not: " + "; ".join(leaks))
    # Its two builds, then the grader there: the untouched skeleton fails, the solution passes.
    for preset, probe in (("default", "paracon_pmpi_probe"), ("archer", "coursework_probes")):
        subprocess.run(["cmake", "--preset", preset], cwd=folder, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", preset, "--target", probe, "--parallel", "2"], cwd=folder,
                       check=True, stdout=subprocess.DEVNULL)
    exercise = folder / "scripts" / "exercise"
    subprocess.run([str(exercise), "start", name], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    solution = subprocess.run([str(exercise), "check", name, "--solution"], cwd=folder, capture_output=True, text=True)
    if solution.returncode == 0 or "no solution here" not in solution.stderr:
        fail("the handout's grader graded a solution it should not have", solution.stdout + solution.stderr)
    code, output, verdicts = grade(name, "handout-skeleton", cwd=folder, exercise=exercise)
    if code == 0 or all(verdicts.values()):
        fail("the untouched skeleton passed in the handout", output)
    s = spec(name)
    work = folder / "work" / s.get("model", name.split("-", 1)[0]) / f"{name.split('-', 1)[1]}.cpp"
    shutil.copyfile(ROOT / name.split("-", 1)[0] / f"{name.split('-', 1)[1]}.cpp", work)
    code, output, verdicts = grade(name, "handout-solution", cwd=folder, exercise=exercise)
    if code != 0 or not all(verdicts.values()):
        fail(f"the solution, copied into the handout, fails: {verdicts}", output)
    print(f"ok: the handout holds no solution, its grader fails the skeleton of {name} and passes the solution")


if __name__ == "__main__":
    main()
