#!/usr/bin/env python3
"""Submits a job script to the SLURM cluster named by SLURM_CONF, waits for it, and checks its
output file.

    check_slurm.py run --validates N [--nodes N --ranks R --threads T] [--files F...]
                   [--expect REGEX...] [--substitute NAME=FILE...] [--skeleton EXERCISE]
                   [--exit-code N] -- SBATCH_ARGS... SCRIPT [SCRIPT_ARGS...]
    check_slurm.py reject -- SBATCH_ARGS... SCRIPT [SCRIPT_ARGS...]
    check_slurm.py class --exercise E --workdir DIR

run: the job must complete with exit code 0 and print at least N "Solution validates" lines;
with --nodes/--ranks/--threads, its placement report (hybrid/where) must show that many
distinct nodes, ranks, and threads per rank, and every thread of a rank on a CPU of its own (a
rank whose threads share one CPU gains nothing from them); --files must exist in the job's folder
afterwards ({job} stands for the job id); each --expect must match a line of the output.
--substitute replaces {NAME} in the sbatch arguments with the contents of FILE (a port a
fixture chose, say). --skeleton writes that exercise's untouched skeleton into the work folder
and puts its path for {skeleton}. --exit-code: the job must end with this code instead of 0 (a
grading job whose student fails). reject: sbatch itself must refuse the job (an
impossible request is refused at submission, not left pending). class: a class of three (the
solution, a serialised file, an empty folder) graded by jobs/grade-class.sh, an array job and the
gradebook after it; the gradebook must hold each student's grade.
"""
import argparse
import csv
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

DONE = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL"}


def fail(message, output=""):
    print(f"FAIL: {message}\n{output}")
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["run", "reject", "class"])
    parser.add_argument("--exercise", default="openmp-range_sum")
    parser.add_argument("--validates", type=int, default=1)
    parser.add_argument("--nodes", type=int)
    parser.add_argument("--ranks", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--substitute", action="append", default=[])
    parser.add_argument("--workdir", type=Path, default=Path.cwd())
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--skeleton")
    parser.add_argument("--exit-code", type=int, default=0)
    argv = sys.argv[1:]
    if argv and argv[0] == "class":
        return grade_class(parser.parse_args(argv))
    if "--" not in argv:
        parser.error("the sbatch arguments go after --")
    split = argv.index("--")
    args, sbatch = parser.parse_args(argv[:split]), argv[split + 1:]
    args.workdir.mkdir(parents=True, exist_ok=True)
    for item in args.substitute:
        name, _, file = item.partition("=")
        value = Path(file).read_text().strip()
        sbatch = [a.replace("{" + name + "}", value) for a in sbatch]
    if args.skeleton:
        exercise = Path(__file__).resolve().parents[2] / "scripts" / "exercise"
        skeleton = args.workdir / f"{args.skeleton}-skeleton.cpp"
        skeleton.write_text(subprocess.run([str(exercise), "skeleton", args.skeleton], capture_output=True,
                                           text=True, check=True).stdout)
        sbatch = [a.replace("{skeleton}", str(skeleton)) for a in sbatch]

    submit = subprocess.run(["sbatch", "--parsable", f"--chdir={args.workdir}"] + sbatch, capture_output=True, text=True)
    if args.action == "reject":
        if submit.returncode == 0:
            job = submit.stdout.strip().split(";")[0]
            subprocess.run(["scancel", job])
            fail(f"sbatch accepted job {job}; it should have been refused")
        print(f"ok: refused at submission: {submit.stderr.strip()}")
        return
    if submit.returncode != 0:
        fail(f"sbatch failed: {submit.stderr.strip()}")
    job = submit.stdout.strip().split(";")[0]

    state, fields = wait_for(job, args.timeout)
    output_path = Path(fields.get("StdOut", ""))
    output = output_path.read_text() if output_path.is_file() else ""
    expected = ("COMPLETED", "0:0") if args.exit_code == 0 else ("FAILED", f"{args.exit_code}:0")
    if (state, fields.get("ExitCode")) != expected:
        fail(f"job {job} ended {state} with exit code {fields.get('ExitCode')}, expected {expected}", output)
    validated = output.count("Solution validates")
    if validated < args.validates:
        fail(f"{validated} 'Solution validates' lines, expected {args.validates}", output)
    places = re.findall(r"^node (\S+)\s+host \S+\s+rank\s+(\d+)\s+thread\s+(\d+) of (\d+)\s+cpu\s+(-?\d+)", output,
                        re.M)
    if args.nodes is not None:
        nodes = {p[0] for p in places}
        if len(nodes) != args.nodes:
            fail(f"placement shows nodes {sorted(nodes)}, expected {args.nodes}", output)
    if args.ranks is not None:
        ranks = {int(p[1]) for p in places}
        if ranks != set(range(args.ranks)):
            fail(f"placement shows ranks {sorted(ranks)}, expected 0..{args.ranks - 1}", output)
    if args.threads is not None:
        per_rank = {int(p[3]) for p in places}
        if per_rank != {args.threads} or len(places) != (args.ranks or 1) * args.threads:
            fail(f"placement shows {len(places)} threads ({per_rank} per rank), expected {args.threads} per rank", output)
        for node, rank in {(p[0], p[1]) for p in places}:
            cpus = [p[4] for p in places if (p[0], p[1]) == (node, rank)]
            if len(set(cpus)) != len(cpus):
                fail(f"rank {rank}'s {len(cpus)} threads share CPUs {cpus}: give each its own", output)
    for pattern in args.expect:
        if not re.search(pattern, output, re.M):
            fail(f"no line of the output matches {pattern!r}", output)
    for name in args.files:
        path = args.workdir / name.replace("{job}", job)
        if not path.exists():
            fail(f"{path} is missing after the job", output)
    print(f"ok: job {job} {state}, {validated} validated result(s)"
          + (f", {len({p[0] for p in places})} node(s), {len(places)} placements" if places else ""))


def wait_for(job, timeout):
    """(state, scontrol's fields) once the job has ended; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    state, fields = "", {}
    while time.monotonic() < deadline:  # sbatch --wait polls too slowly: ask every 0.25 s
        shown = subprocess.run(["scontrol", "show", "job", "-o", job], capture_output=True, text=True).stdout
        fields = dict(re.findall(r"(\w+)=(\S*)", shown.splitlines()[0] if shown else ""))
        state = fields.get("JobState", "")
        if state in DONE:
            return state, fields
        time.sleep(0.25)
    subprocess.run(["scancel", job])
    fail(f"job {job} still {state} after {timeout} s")


def grade_class(args):
    root = Path(__file__).resolve().parents[2]
    exercise = root / "scripts" / "exercise"
    folder = args.workdir / "class"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "ada").mkdir(parents=True)
    (folder / "empty").mkdir()
    solution = subprocess.run([str(exercise), "skeleton", args.exercise, "--solution"], capture_output=True, text=True,
                              check=True).stdout
    (folder / "ada" / "range_sum.cpp").write_text(solution)
    # grace: every thread's block inside one critical section (serialised, and so not parallel)
    text = solution.replace("    w.sum = paracon::range_sum(w.part.begin, w.part.end);",
                            "#pragma omp critical\n    w.sum = paracon::range_sum(w.part.begin, w.part.end);", 1)
    (folder / "grace.cpp").write_text(text)
    submit = subprocess.run([str(root / "jobs" / "grade-class.sh"), args.exercise, str(folder), "--",
                             f"--chdir={args.workdir}"], capture_output=True, text=True, cwd=args.workdir)
    found = re.search(r"array job (\d+), gradebook job (\d+)", submit.stdout)
    if submit.returncode != 0 or not found:
        fail(f"jobs/grade-class.sh failed (exit {submit.returncode})", submit.stdout + submit.stderr)
    array, book = found.groups()
    state, fields = wait_for(book, args.timeout * 3)
    output_path = Path(fields.get("StdOut", ""))
    output = output_path.read_text() if output_path.is_file() else ""
    if state != "COMPLETED":
        fail(f"the gradebook job {book} ended {state}", output)
    gradebook = folder / f"gradebook-{args.exercise}.csv"
    if not gradebook.exists():
        fail(f"no gradebook at {gradebook}", output)
    rows = {row["student"]: row for row in csv.DictReader(gradebook.open())}
    expected = {"ada": "5", "grace": "4", "empty": "0"}
    got = {name: rows.get(name, {}).get("score") for name in expected}
    if got != expected or rows["grace"]["parallel"] != "0":
        fail(f"gradebook scores {got}, expected {expected} (grace failing parallel)", gradebook.read_text())
    for name in ("ada", "grace"):
        result = folder / (f"{name}/results.json" if name == "ada" else f"{name}.results.json")
        if not result.exists():
            fail(f"no results.json for {name}")
    print(f"ok: array job {array} graded 3 submissions, gradebook job {book}: {got}")


if __name__ == "__main__":
    main()
