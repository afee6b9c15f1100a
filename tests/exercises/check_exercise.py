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
    check_exercise.py hostile NAME             a hostile file of tests/exercises/hostile_files.toml (a
                                               solution and an attack), graded in the sandbox: the
                                               attack contained, nothing changed outside the grade's
                                               folder, the work graded as it deserves
    check_exercise.py commands                 the coursework commands against a hostile user: a file
                                               where a folder must be (and the reverse), a handout
                                               where none can go, Ctrl-C during a handout (whole or
                                               nothing, never a solution) and during a grade's build
                                               (no compiler temporary left in /tmp)
    check_exercise.py late_signal EXERCISE     SIGINT just after the grade's table is printed: the
                                               grade stands (its exit code, no traceback)
    check_exercise.py handout EXERCISE [DIR]   a handout written to DIR (outside the repository;
                                               by default a temporary folder, removed if all passes)
                                               holds no solution, builds, grades the untouched
                                               skeleton (fails) and the solution copied in (passes)
    check_exercise.py page                     coursework/EXERCISES.md is what `scripts/exercise
                                               page` writes today (no exercise text out of date)
    check_exercise.py bounds                   every size the grader may draw is one the program
                                               accepts: each [[drawn]] range's two ends, run
"""
import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import uuid
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


def bounds():
    """The project's program at both ends of every range an exercise draws sizes from, on one
    worker: a range that reaches a size the program refuses fails a right solution now and then
    (a drawn N of 3 where the least is 5). Bug hunts and the bookshop's exercises have no program
    of the project's to run here; their ranges are pages and counts the public runs cover."""
    refused = []
    for toml in sorted((ROOT / "coursework" / "exercises").glob("*.toml")):
        name, s = toml.stem, spec(toml.stem)
        if s.get("source") or s.get("bookshop"):
            continue
        model, program = name.split("-", 1)
        binary = ROOT / "build" / model / program
        for case in s.get("drawn", []):
            for end in (0, 1):
                values = {key: bounds_[end] for key, bounds_ in case["values"].items()}
                args = [re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), a) for a in case["args"]]
                command = ([str(binary)] if model == "openmp" else ["mpiexec", "-n", "1", str(binary)]) + args
                done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                      env=dict(os.environ, OMP_NUM_THREADS="1"))
                if done.returncode != 0:
                    line = (done.stderr.strip().splitlines() or [""])[0]
                    refused.append(f"{name}: {' '.join(args)}: exit code {done.returncode}: {line}")
    if refused:
        fail("sizes the grader may draw that the program refuses:\n  " + "\n  ".join(refused))
    print("ok: every drawn range's two ends are sizes its program accepts")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["solution", "skeleton", "mutant", "wrong", "hostile", "beside", "late_signal",
                                         "commands", "handout", "page", "bounds"])
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
    if args.mode == "commands":
        return commands()
    if args.mode == "bounds":
        return bounds()
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

    elif args.mode == "hostile":
        hostile(name)

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


HOSTILE = Path(__file__).resolve().parent / "hostile_files.toml"


def listing(root):
    """(path, size, modification time) of every file of the project but its build trees."""
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not (Path(folder) == root and (d.startswith("build") or d in (".git", "work")))
                   and d != "__pycache__"]
        for name in files:
            path = Path(folder) / name
            with contextlib.suppress(OSError):
                found.add((str(path), path.stat().st_size, path.stat().st_mtime_ns))
    return found


def hostile(name):
    """A hostile file graded in the sandbox: contained, nothing changed outside, graded as it deserves."""
    sys.path.insert(0, str(ROOT / "coursework"))
    import sandbox
    table = tomllib.loads(HOSTILE.read_text())
    if name not in table:
        fail(f"no hostile file '{name}' in {HOSTILE.relative_to(ROOT)}")
    h = table[name]
    marker = f"paracon-hostile-{name}-{uuid.uuid4().hex[:8]}"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    reached, done = [], threading.Event()

    def accept():
        while not done.is_set():
            try:
                reached.append(listener.accept()[0].getpeername())
            except OSError:
                pass
    threading.Thread(target=accept, daemon=True).start()
    values = {"marker": marker, "root": str(ROOT), "home": os.environ.get("HOME", "/root"), "base": str(sandbox.BASE),
              "port": str(listener.getsockname()[1])}
    text = exercise_output("skeleton", "openmp-range_sum", "--solution")
    for old, new in h["replace"]:
        if text.count(old) != 1:
            fail(f"'{old[:80]}' is {text.count(old)} times in the solution: the hostile file is out of date")
        for key, value in values.items():
            new = new.replace("{" + key + "}", value)
        text = text.replace(old, new)
    path = ROOT / "build" / "exercise-tests" / "hostile" / name / "range_sum.cpp"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    before = listing(ROOT)
    lines = {}
    report = ROOT / "build" / "exercise-tests" / f"openmp-range_sum-hostile-{name}.json"
    code, output, verdicts = grade("openmp-range_sum", f"hostile-{name}", "--file", str(path), "--require-sandbox",
                                   tests=lines)
    done.set()
    contained = json.loads(report.read_text()).get("contained", [])
    escaped = []
    for place in ("/tmp", values["home"], str(ROOT), str(sandbox.BASE), "/var/tmp", "/dev/shm"):
        for folder, dirs, files in os.walk(place):
            escaped += [str(Path(folder) / n) for n in dirs + files if marker in n]
    if escaped:
        fail(f"{name}: files outside the grade's folder: {escaped[:5]}", output)
    if reached:
        fail(f"{name}: the program reached the listener on the grader's 127.0.0.1: {reached}", output)
    running = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()
    if running:
        fail(f"{name}: processes left running: {running}", output)
    changed = sorted(before ^ listing(ROOT))
    if changed:
        fail(f"{name}: the project's files changed: {changed[:5]}", output)
    failed = {k for k, ok in verdicts.items() if not ok}
    if failed != {NAMES.get(k, k) for k in h.get("fails", [])}:
        fail(f"{name} ({h['what']}) fails {sorted(failed)}; expected {sorted(h.get('fails', []))}", output)
    says = h.get("says", "").replace("{marker}", re.escape(marker))
    if says and not re.search(says, "; ".join(contained)):
        fail(f"{name}: the report's 'contained' line {contained} does not say /{says}/", output)
    print(f"ok: {name} ({h['what']}) contained ({'; '.join(contained) or 'nothing to say'}); graded: "
          f"{sorted(failed) or 'all pass'}")


def refused(command, env=None, what=""):
    """COMMAND must exit 2 with one 'exercise: error:' line and no traceback."""
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    lines = done.stderr.splitlines()
    if done.returncode != 2 or len(lines) != 1 or not lines[0].startswith("exercise: error: "):
        fail(f"{what}: expected exit code 2 and one 'exercise: error:' line, got {done.returncode}",
             done.stdout + done.stderr)


def solution_texts():
    texts = set()
    for path in sorted((ROOT / "coursework" / "exercises").glob("*.toml")):
        s = tomllib.loads(path.read_text())
        source = ROOT / s.get("source", f"{path.stem.split('-', 1)[0]}/{path.stem.split('-', 1)[1]}.cpp")
        texts.add(source.read_bytes())
    return texts


def commands():
    with tempfile.TemporaryDirectory(prefix="paracon-commands-") as scratch:
        scratch = Path(scratch)
        work = scratch / "work"
        (work).mkdir()
        (work / "mpi").write_text("not a folder\n")
        (work / "hybrid" / "range_sum.cpp").mkdir(parents=True)
        env = dict(os.environ, PARACON_WORK=str(work))
        refused([str(EXERCISE), "start", "mpi-range_sum"], env, "start, work/mpi a file")
        refused([str(EXERCISE), "start", "hybrid-range_sum", "--force"], env, "start --force, its file a folder")
        refused([str(EXERCISE), "handout", "/proc/x"], what="handout into /proc")
        refused([str(EXERCISE), "handout", str(work / "mpi" / "sub")], what="handout under a file")
        # Ctrl-C during a handout: afterwards the handout is whole or absent, and no solution ever lies
        # beside it (it is made in a hidden folder beside the target, then renamed).
        texts = solution_texts()
        for k, delay in enumerate((0.3, 0.8, 1.5, 2.5)):
            target = scratch / f"handout-{k}"
            process = subprocess.Popen([str(EXERCISE), "handout", str(target)], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            time.sleep(delay)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=120)
            if "Traceback" in err:
                fail(f"handout interrupted after {delay} s: a traceback", err)
            if target.exists() and not (target / "EXERCISES.md").exists():
                fail(f"handout interrupted after {delay} s left a partial tree")
            stray = [p.name for p in scratch.iterdir() if p.name.startswith(f".handout-{k}.")]
            if stray:
                fail(f"handout interrupted after {delay} s left {stray}")
            for path in target.rglob("*.cpp") if target.exists() else []:
                if path.read_bytes() in texts:
                    fail(f"the handout holds a solution: {path}")
        # Ctrl-C during a grade's build: no compiler temporary in /tmp.
        for extra in ([], ["--no-sandbox"]):
            before = {p.name for p in Path("/tmp").glob("cc*")}
            process = subprocess.Popen([str(EXERCISE), "check", "openmp-range_sum", "--file",
                                        str(ROOT / "openmp" / "range_sum.cpp"), "--quiet", *extra],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(1.5)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=120)
            time.sleep(0.5)
            left = sorted({p.name for p in Path("/tmp").glob("cc*")} - before)
            if left or "Traceback" in err:
                fail(f"a grade interrupted in its build ({' '.join(extra) or 'sandboxed'}) left {left} in /tmp", err)
    print("ok: the coursework commands refuse a file for a folder and the reverse, a handout where none can go; "
          "an interrupted handout leaves nothing and never a solution, an interrupted build no temporary")


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
    gradescope(name, folder, work)
    print(f"ok: the handout holds no solution, its grader fails the skeleton of {name} and passes the solution; "
          "its Gradescope autograder grades a submission folder into results.json")


def gradescope(name, handout, solution):
    """The handout's Gradescope autograder, its run_autograder run against folders laid out as
    Gradescope lays them out (/autograder/submission, /autograder/results), on the handout built
    here: the solution scores full marks, an empty submission 0 with a reason."""
    base = handout.parent / "gradescope"
    if base.exists():
        shutil.rmtree(base)
    subprocess.run([str(handout / "scripts" / "exercise"), "gradescope", name, str(base / "made")], check=True,
                   stdout=subprocess.DEVNULL)
    zipped = base / "made" / "autograder.zip"
    import zipfile
    names = zipfile.ZipFile(zipped).namelist()
    if "setup.sh" not in names or "run_autograder" not in names or any(n.endswith(solution.name) and
                                                                        "work/" in n for n in names):
        fail(f"autograder.zip holds {sorted(names)[:8]}...: setup.sh and run_autograder at its top, no work/")
    file = Path(name.split("-", 1)[1] + ".cpp")
    # (The skeleton's grade in the handout is above: here the solution, and a submission of nothing.)
    for case, text in (("solution", solution.read_text()), ("empty", None)):
        autograder = base / case
        (autograder / "submission").mkdir(parents=True)
        if text is not None:
            (autograder / "submission" / file).write_text(text)
        done = subprocess.run([str(base / "made" / "run_autograder")], capture_output=True, text=True, timeout=900,
                              env=dict(os.environ, AUTOGRADER=str(autograder), HANDOUT=str(handout)))
        try:
            results = json.loads((autograder / "results" / "results.json").read_text())
        except (OSError, ValueError):
            fail(f"run_autograder ({case}) wrote no results/results.json (exit {done.returncode})",
                 done.stdout + done.stderr)
        score, most = results.get("score"), results.get("max_score")
        if (case == "solution" and score != most) or \
                (case == "empty" and (score != 0 or "no " not in results.get("output", ""))):
            fail(f"run_autograder ({case}): score {score} of {most}", json.dumps(results)[:2000])


if __name__ == "__main__":
    main()
