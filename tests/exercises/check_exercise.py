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
    check_exercise.py wrong NAME               a wrong file of tests/exercises/wrong_files.toml, made
                                               from its exercise's solution, fails exactly the
                                               criteria it names, saying what it names
    check_exercise.py beside EXERCISE EXERCISE two solutions graded at once, on the same cores:
                                               each still passes every criterion
    check_exercise.py late_signal EXERCISE     SIGINT just after the grade's table is printed: the
                                               grade stands (its exit code, no traceback)
    check_exercise.py handout EXERCISE [DIR]   a handout written to DIR (outside the repository;
                                               by default a temporary folder, removed if all passes)
                                               holds no solution, builds, grades the untouched
                                               skeleton (fails) and the solution copied in (passes)
    check_exercise.py page                     coursework/EXERCISES.md is what `scripts/exercise
                                               page` writes today (no exercise text out of date)
"""
import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "scripts" / "exercise"
NAMES = {"race_free": "race-free", "no_hang": "no hang"}
WRONG = Path(__file__).resolve().parent / "wrong_files.toml"


def fail(message, output=""):
    print(f"FAIL: {message}")
    if output:
        print(output)
    sys.exit(1)


def grade(name, kind, *extra, cwd=ROOT, exercise=EXERCISE, tests=None):
    """Runs the grader; returns (exit code, table, {criterion: passed}) (and, into `tests`, each
    criterion's line)."""
    report = Path(cwd) / "build" / "exercise-tests" / f"{name}-{kind}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([str(exercise), "check", name, *extra, "--json", str(report), "--quiet"],
                          capture_output=True, text=True, cwd=cwd, timeout=900)
    if not report.exists():
        fail(f"the grader wrote no report (exit code {done.returncode})", done.stdout + done.stderr)
    lines = json.loads(report.read_text())["tests"]
    verdicts = {t["name"]: t["status"] == "passed" for t in lines}
    if tests is not None:
        tests.update({t["name"]: t["output"] for t in lines})
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
    parser.add_argument("mode", choices=["solution", "skeleton", "mutant", "wrong", "beside", "late_signal", "handout",
                                         "page"])
    parser.add_argument("exercise", nargs="?", help="the exercise (wrong: the wrong file's name)")
    parser.add_argument("folder", nargs="?", help="handout: where to write it; beside: the second exercise")
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

    elif args.mode == "wrong":
        wrong(name)

    elif args.mode == "beside":
        beside(name, args.folder)

    elif args.mode == "late_signal":
        late_signal(name)

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


def wrong(name):
    """A wrong file: its exercise's solution with the table's replacements; it must fail exactly
    the criteria named, the first of them saying what `says` matches."""
    table = tomllib.loads(WRONG.read_text())
    if name not in table:
        fail(f"no wrong file '{name}' in {WRONG.relative_to(ROOT)}")
    w = table[name]
    text = exercise_output("skeleton", w["exercise"], "--solution")
    for old, new in w["replace"]:
        if text.count(old) != 1:
            fail(f"'{old[:80]}' is {text.count(old)} times in {w['exercise']}'s solution, not once: the wrong file "
                 "is out of date")
        text = text.replace(old, new)
    path = ROOT / "build" / "exercise-tests" / "wrong" / name / Path(spec(w["exercise"]).get(
        "source", f"x/{w['exercise'].split('-', 1)[1]}.cpp")).name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    lines = {}
    code, output, verdicts = grade(w["exercise"], f"wrong-{name}", "--file", str(path), tests=lines)
    failed = {k for k, ok in verdicts.items() if not ok}
    must = {NAMES.get(k, k) for k in w["fails"]}
    if failed != must:
        fail(f"{name} ({w['what']}) fails {sorted(failed)}; it must fail exactly {sorted(must)}", output)
    first = NAMES.get(w["fails"][0], w["fails"][0])
    if not re.search(w["says"], lines.get(first, "")):
        fail(f"{name}: the {first} line does not say /{w['says']}/: {lines.get(first, '')}", output)
    print(f"ok: {name} ({w['what']}) fails {sorted(failed)}, saying: {lines[first][:300]}")


def beside(first, second):
    """Two solutions graded at the same time on the same cores: each passes every criterion."""
    if not first or not second or first == second:
        fail("beside needs two different exercises")
    results = {}

    def one(name):
        results[name] = grade(name, "beside", "--solution")
    threads = [threading.Thread(target=one, args=(n,)) for n in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, (code, output, verdicts) in results.items():
        failed = [k for k, ok in verdicts.items() if not ok]
        if code != 0 or failed:
            fail(f"{name}'s solution, graded beside {second if name == first else first}, fails {failed}", output)
    print(f"ok: {first} and {second} graded at once: both solutions pass every criterion")


def late_signal(name):
    """SIGINT the moment the grade's last line is out: the grade made stands."""
    for attempt in range(3):
        process = subprocess.Popen([str(EXERCISE), "check", name, "--solution", "--quiet"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        lines = []
        for line in process.stdout:
            lines.append(line)
            if " passed, " in line:
                process.send_signal(signal.SIGINT)
                break
        out, err = process.communicate(timeout=300)
        if process.returncode != 0 or "Traceback" in err:
            fail(f"SIGINT after the table (try {attempt + 1}): exit {process.returncode}, expected the grade's 0",
                 "".join(lines) + out + err)
    print(f"ok: {name}'s grade stands when SIGINT comes just after its table")


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
    for preset, probe in (("default", "coursework_probes"), ("archer", "coursework_probes")):
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
