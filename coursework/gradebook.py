"""A class's submissions of one exercise, graded: each in a sandbox of its own (grade.py), several
at once within the machine's cores, and one gradebook.

A class folder holds one folder or one file per student, named after the student:
    class/ada/range_sum.cpp        a folder: the exercise's file in it (or its only .cpp, .sh)
    class/grace.cpp                a file
Beside each submission the grade's table and its results.json (Gradescope's format) are kept:
    class/ada/grade.txt, class/ada/results.json;   class/grace.grade.txt, class/grace.results.json
A submission whose results.json is newer than it and of this exercise is not graded again: an
interrupted grade-all, run again, goes on where it stopped.
"""
import concurrent.futures
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXERCISE = HERE.parent / "scripts" / "exercise"
sys.path.insert(0, str(HERE.parent / "scripts"))
import runner  # noqa: E402


@dataclass
class Submission:
    student: str
    file: object        # the file to grade, or None when the folder holds none (or several)
    results: Path       # its results.json
    table: Path         # its grade.txt
    why: str = ""       # why there is no file to grade

    def graded(self, exercise_id):
        """True when its results.json is this exercise's, of this very file, and newer than it."""
        try:
            data = json.loads(self.results.read_text())
        except (OSError, ValueError):
            return False
        if data.get("exercise") != exercise_id:
            return False
        if self.file is None:
            return True
        return self.results.stat().st_mtime >= Path(self.file).stat().st_mtime


def submissions(folder, exercise):
    """Every student's submission in a class folder, in the students' order."""
    folder = Path(folder)
    wanted = exercise.source.name
    found = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name.endswith((".results.json", ".grade.txt")):
            continue
        if entry.is_dir():
            candidates = [entry / wanted] if (entry / wanted).is_file() else \
                sorted(p for p in entry.iterdir() if p.suffix == exercise.source.suffix and p.is_file())
            file = candidates[0] if len(candidates) == 1 else None
            why = "" if file else (f"no {exercise.source.suffix} file in the folder" if not candidates else
                                   f"{len(candidates)} {exercise.source.suffix} files and none named {wanted}")
            found.append(Submission(entry.name, file, entry / "results.json", entry / "grade.txt", why))
        elif entry.is_file() and entry.suffix == exercise.source.suffix:
            found.append(Submission(entry.stem, entry, folder / f"{entry.stem}.results.json",
                                    folder / f"{entry.stem}.grade.txt"))
    return found


def refused(exercise, submission, why):
    """results.json for a submission that could not be graded: nothing passed, the reason said."""
    from report import NAMES
    keys = exercise.spec.get("criteria") or __import__("grade").DEFAULT_CRITERIA[exercise.model]
    tests = [{"name": NAMES[k], "score": 0, "max_score": 1, "status": "failed", "output": why} for k in keys]
    return {"score": 0, "max_score": len(tests), "exercise": exercise.id, "file": str(submission.file or ""),
            "tests": tests, "not_graded": why}


class Class:
    """Grades the submissions of one class folder, `jobs` at a time."""

    def __init__(self, exercise, folder, jobs, extra=(), log=print):
        self.exercise, self.folder, self.jobs, self.extra, self.log = exercise, Path(folder), jobs, list(extra), log
        self.running = {}
        self.lock = threading.Lock()
        self.stopping = False

    def grade_one(self, submission):
        """One student's grade: the grader in a process of its own (each in its own sandbox)."""
        if submission.file is None:
            runner.write_whole(submission.results, json.dumps(refused(self.exercise, submission, submission.why)) + "\n")
            runner.write_whole(submission.table, f"{self.exercise.id}: {submission.student}: not graded: "
                                                 f"{submission.why}\n")
            return 0.0
        started = time.perf_counter()
        partial = submission.results.with_name(f".{submission.results.name}.grading")
        command = [str(EXERCISE), "check", self.exercise.id, "--file", str(submission.file), "--quiet",
                   "--json", str(partial), *self.extra]
        with self.lock:
            if self.stopping:
                return None
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       start_new_session=True)
            self.running[submission.student] = process
        out, err = process.communicate()
        with self.lock:
            self.running.pop(submission.student, None)
        seconds = time.perf_counter() - started
        if self.stopping or process.returncode in (130, -2):
            partial.unlink(missing_ok=True)
            return None
        if process.returncode not in (0, 1) or not partial.exists():  # refused: a binary, a huge file
            line = (err.strip().splitlines() or [f"the grader ended with exit code {process.returncode}"])[-1]
            partial.unlink(missing_ok=True)
            runner.write_whole(submission.results, json.dumps(refused(self.exercise, submission, line)) + "\n")
            runner.write_whole(submission.table, f"{self.exercise.id}: {submission.student}: not graded: {line}\n")
            return seconds
        data = json.loads(partial.read_text())
        data.update(student=submission.student, seconds=round(seconds, 2))
        runner.write_whole(submission.table, out)
        runner.write_whole(submission.results, json.dumps(data, indent=1) + "\n")
        partial.unlink(missing_ok=True)
        return seconds

    def stop(self):
        with self.lock:
            self.stopping = True
            for process in self.running.values():
                runner.stop(process)

    def grade(self, every):
        """Grades those not graded yet; returns how many were graded now."""
        todo = [s for s in every if not s.graded(self.exercise.id)]
        if len(todo) < len(every):
            self.log(f"grade-all: {len(every) - len(todo)} of {len(every)} already graded")
        done = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {pool.submit(self.grade_one, s): s for s in todo}
            try:
                for future in concurrent.futures.as_completed(futures):
                    seconds = future.result()
                    if seconds is not None:
                        done += 1
                        s = futures[future]
                        try:
                            score = json.loads(s.results.read_text())
                            shown = f"{score['score']}/{score['max_score']}"
                        except (OSError, ValueError, KeyError):
                            shown = "?"
                        self.log(f"grade-all: {s.student}: {shown} ({seconds:.0f} s; {done} of {len(todo)})")
            except KeyboardInterrupt:
                self.stop()
                for future in futures:
                    future.cancel()
                raise
        return done


def book(exercise, every):
    """The gradebook as CSV text: student, one column per criterion (1 passed, 0 not), score,
    max score, seconds; a student without a grade yet has empty cells."""
    from report import NAMES
    keys = exercise.spec.get("criteria") or __import__("grade").DEFAULT_CRITERIA[exercise.model]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student"] + [NAMES[k] for k in keys] + ["score", "max_score", "seconds"])
    for s in every:
        try:
            data = json.loads(s.results.read_text())
        except (OSError, ValueError):
            writer.writerow([s.student] + [""] * (len(keys) + 3))
            continue
        status = {t["name"]: t["status"] == "passed" for t in data.get("tests", [])}
        writer.writerow([s.student] + [int(status.get(NAMES[k], False)) for k in keys] +
                        [data.get("score", 0), data.get("max_score", len(keys)), data.get("seconds", "")])
    return out.getvalue()


def default_jobs():
    """Grades at once: one per two cores (each grade runs two workers at a time)."""
    return max(1, (os.cpu_count() or 2) // 2)
