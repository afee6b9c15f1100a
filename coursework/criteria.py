"""The five criteria of a grade, each a function of the grade in progress (grade.Grader: the
exercise, the file, its builds and how to launch them), each setting its Criterion's verdict, its
evidence, and the line a student reads:

  builds     g++ (the release build) and, for OpenMP, clang++ with ThreadSanitizer compile it without
             a warning in the student's file, and the file keeps the rules of rules.py (it may not
             replace, configure or hide from the tools that grade it)
  correct    the project's own checks (tests/checks/<experiment>.py, values computed there with
             Python's integers) hold at 1 to 4 threads or ranks, at the exercise's sizes and at
             sizes drawn at grading time from a seed
  parallel   at the same time: two or more workers ran their own code at the same instants, for a
             share of the run (the probes' samples, evidence.py); without waste: the CPU time of
             the program's own code at p workers is not much more than at one (the kernel's
             accounting); and the runtime's account agrees with the kernel's. Never what the
             program prints; the speedup is measured and reported, never graded
  race-free  the clang++ build under LLVM's Archer reports no data race
  no hang    every run ended within its time limit; a hang names the ranks still running, and the
             MPI call each was in
"""
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field

import evidence
import launch
import rules
from launch import ROOT, run

sys.path.insert(0, str(ROOT / "tests"))
from checks.common import exit_status  # noqa: E402

CHECK = ROOT / "tests" / "check_program.py"
# Warnings that do not matter for a grade: a skeleton leaves variables unused until the student
# writes the lesson; every other warning (an unknown #pragma, a narrowing, an uninitialised
# value, a misleading indentation) fails the build criterion.
IGNORED_WARNINGS = re.compile(r"\[-Wunused-(variable|parameter|but-set-variable|private-field)\]")
# The CPU time of the program's own code at p workers may be this much more than at one. Work done
# twice, or a worker spinning while another works, reads 2x or more (the wrong files of
# tests/exercises: 2.01x to 2.08x); every solution reads under 1.2x alone and beside another grade
# on two cores (bench/grade.py), but mpi-range_sum read 1.67x once in a CI run, least of 7 runs,
# while a neighbour on the virtual machine's host slowed its two ranks and not the one: the bound
# sits between the two, nearer the waste.
CPU_RATIO = 1.75
# ...and no one worker may have used this share of the CPU time one worker needs for the whole job:
# the others then did none of it, whatever they burnt meanwhile. A thread spinning on a flag while
# another does the work uses 2x in all only while both get their CPU: beside another grade on two
# cores the spinner is descheduled and the ratio reads 1.56x, but the worker alone still used 95%
# to 105% of the job's CPU time; every solution's busiest thread stays under 0.68 of it (the maps
# over memory excepted, whose threads slow each other: openmp-pool_map's reads 0.76).
SOLO_SHARE = 0.85
# How many times a CPU ratio above the limit is measured again before it is believed; a first ratio
# under CLEAR x the limit needs no second run on one worker (work done twice reads 2x or more).
WASTE_TRIES = 3
CLEAR = 0.8
# A share of "at the same time" under its need but above this part of it is measured again, up to
# SAME_TIME_TRIES runs in all, until one passes: on a shared machine an unlucky schedule can leave
# one thread of a team running alone for most of a short region (hybrid-range_sum's solution read
# 27% at 2x2 beside another grade, 93% to 99% alone), while work that is serialised, or waits its
# turn, reads under 5% at every run.
UNLUCKY = 1 / 3
SAME_TIME_TRIES = 3
# Parallel regions of two or more threads shorter than this in all hold too few samples to judge.
MIN_TEAM_SECONDS = 0.01


@dataclass
class Criterion:
    key: str
    passed: object = None          # True, False, or None: not run
    why: str = ""                  # the evidence in a line, or the reason it failed
    hint: str = ""
    evidence: dict = field(default_factory=dict)


# --- builds ---------------------------------------------------------------------------------------

def builds(g):
    c = g.criteria["builds"]
    if g.script:
        return builds_script(g, c)
    needs_clang = g.model in ("openmp", "hybrid")
    if g.solution:
        missing = [str(p) for p in ([g.binary(g.BUILD)] + ([g.binary(g.ARCHER)] if needs_clang else []))
                   if not p.exists()]
        g.gcc_ok, g.clang_ok = g.binary(g.BUILD).exists(), g.binary(g.ARCHER).exists()
        broken = [] if missing else kept_rules(g, needs_clang)
        c.passed = not missing and not broken
        c.evidence = {"rules": broken}
        c.why = (f"not built: {', '.join(missing)}" if missing else broken[0] if broken else
                 "the solution, built by the project; it keeps the rules of a student's file")
        c.hint = "scripts/setup default && scripts/setup archer" if missing else ""
        return
    g.gcc_ok, warnings, errors = g.build_one(g.BUILD, "g++ (build/)")
    g.clang_ok, clang_warnings, clang_errors = (g.build_one(g.ARCHER, "clang++ with ThreadSanitizer (build-archer/)")
                                                if needs_clang else (False, [], []))
    warnings += [w for w in clang_warnings if w not in warnings]
    c.evidence = {"warnings": warnings, "errors": errors + clang_errors}
    if not g.gcc_ok or (needs_clang and not g.clang_ok):
        c.passed = False
        first = (errors + clang_errors + ["see the compiler's output"])[0]
        c.why = f"does not compile: {first}"
        c.hint = f"build it yourself to see every message: cmake --build build --target student_{g.model}_{g.name}"
        return
    broken = kept_rules(g, needs_clang)
    c.evidence["rules"] = broken
    if broken:  # the other criteria still judge what the file does: each fails only what it breaks
        c.passed = False
        c.why = broken[0] + (f" (and {len(broken) - 1} more)" if len(broken) > 1 else "")
        c.hint = "write the lesson with OpenMP and MPI themselves: a file may not define, call or switch off " \
                 "what grades it (coursework/rules.py says what and why)"
    elif warnings:
        c.passed = False
        c.why = f"{len(warnings)} warning(s): {warnings[0]}"
        c.hint = "a warning is often the bug: an unknown #pragma is ignored, an unused variable was meant to be used"
    else:
        c.passed = True
        c.why = "g++" + (" and clang++ (ThreadSanitizer)" if needs_clang else "") + ", no warnings"


def kept_rules(g, needs_clang):
    """Every rule the file breaks, in its compiled objects and its preprocessed text, in each build."""
    broken = []
    shown = g.shown_name()
    for build in [g.BUILD] + ([g.ARCHER] if needs_clang else []):
        source, obj = g.compiled(build)
        if not obj.exists():
            broken.append(f"{shown}: no object file to read in {build.name}/ ({obj.name})")
            continue
        broken += g.rules(build).objects([obj], shown)
        if g.solution:  # the project's own file: its symbols are read, its text is the repository's
            continue
        text = g.preprocessed(build)
        if text is None:
            broken.append(f"{shown}: the grader could not preprocess it in {build.name}/")
        else:
            broken += g.rules(build).text(text, shown, str(source))
    return rules.unique(broken)


def builds_script(g, c):
    """A script: bash must read it, and ShellCheck find nothing to say."""
    syntax = run(["bash", "-n", str(g.source)], dict(os.environ), 30)
    lint = run(["shellcheck", "-f", "gcc", str(g.source)], dict(os.environ), 60) if shutil.which("shellcheck") else None
    g.gcc_ok = syntax.code == 0 and g.binary(g.BUILD).exists()
    g.clang_ok = False
    notes = [line for line in (lint.stdout.splitlines() if lint else []) if line.strip()]
    c.evidence = {"bash": syntax.stderr.strip(), "shellcheck": notes}
    if syntax.code != 0:
        c.passed, c.why = False, f"bash cannot read it: {syntax.stderr.strip()[:200]}"
    elif not g.binary(g.BUILD).exists():
        c.passed, c.why = False, f"{g.binary(g.BUILD)} is not built: scripts/setup"
    elif notes:
        c.passed, c.why = False, f"ShellCheck: {notes[0]}"
        c.hint = "quote variables (\"$WHERE\"), and see https://www.shellcheck.net/wiki/ for the code"
    else:
        c.passed = True
        c.why = "bash reads it" + (", ShellCheck finds nothing" if lint else " (ShellCheck is not installed)")


# --- correct --------------------------------------------------------------------------------------

def drawn_cases(spec, seed, salt):
    """The exercise's [[drawn]] cases with their values drawn from the seed: each value from its
    range [low, high] (log-uniformly when the range spans orders of magnitude), a size that no
    worker count from 2 to 4 divides unless the range says "any"."""
    chosen = random.Random(f"{salt}/{seed}")
    cases = []
    for case in spec.get("drawn", []):
        values = {}
        for name, bounds in case["values"].items():
            low, high = int(bounds[0]), int(bounds[1])
            if high > 100 * max(low, 1):
                value = int(round(10 ** chosen.uniform(len(str(max(low, 1))) - 1, len(str(high)) - 1)))
                value = min(high, max(low, value))
            else:
                value = chosen.randint(low, high)
            if len(bounds) < 3 or bounds[2] != "any":  # a size no worker count divides
                step = 1 if value < high else -1
                while value % 2 == 0 or value % 3 == 0:
                    value += step
            values[name] = value

        def put(items):
            out = []
            for item in items:
                for name, value in values.items():
                    item = str(item).replace("{" + name + "}", str(value))
                out.append(item)
            return out
        cases.append(dict(case, args=put(case.get("args", [])), check_args=put(case.get("check_args", [])),
                          drawn=values))
    return cases


def correct(g):
    c = g.criteria["correct"]
    if not g.gcc_ok:
        c.why = "not run: it did not build"
        return
    binary = g.binary(g.BUILD)
    timeout = g.exercise.spec.get("timeout", 60)
    cases = g.exercise.spec.get("correct", []) + drawn_cases(g.exercise.spec, g.seed, g.exercise.id)
    runs, drawn_runs, failures = 0, 0, []
    for case in cases:
        check = case.get("check", g.name)
        for workers in case["workers"]:
            ranks, threads = g.shape(workers)
            probe = g.probe_dir() if g.model != "openmp" else None
            command, env = g.launch(binary, case.get("args", []), ranks, threads, case.get("env"), probe,
                                    g.pmpi_probe() if probe else None)
            shape = ["--workers", str(ranks if g.model != "openmp" else threads)]
            if g.model == "hybrid":
                shape += ["--threads", str(threads)]
            if not g.exercise.spec.get("check_workers", True):  # a check that counts no workers
                shape = []
            checker = [sys.executable, str(CHECK), check] + g.fill(case.get("check_args", [])) + shape + ["--"]
            outcome = g.execute(command, env, timeout, probe, checker=checker)
            runs += 1
            drawn_runs += "drawn" in case
            described = g.describe(case.get("args", []), ranks, threads)
            g.note_hang(described, outcome)
            if outcome.code != 0:
                said = next((line for line in outcome.stdout.splitlines() if line.startswith("FAIL")),
                            outcome.stdout.strip().splitlines()[-1] if outcome.stdout.strip() else "")
                verdict = program_failure(outcome.stdout)
                if verdict:
                    said += f" (the program says: {verdict})"
                if "drawn" in case:
                    described += f" (a size drawn at grading time: --seed {g.seed} draws it again)"
                failures.append((described, "no answer within the time limit" if outcome.code is None else said))
    c.evidence = {"runs": runs, "drawn_runs": drawn_runs, "seed": g.seed,
                  "failed": [{"run": r, "why": w} for r, w in failures]}
    if failures:
        c.passed = False
        c.why = f"{len(failures)} of {runs} runs wrong; first: {failures[0][0]}: {failures[0][1][:240]}"
        c.hint = f"run it yourself: {failures[0][0].split(' (a size drawn')[0]}"
    elif runs:
        c.passed = True
        checks = sorted({case.get("check", g.name) for case in cases})
        drawn = f", {drawn_runs} of them at sizes drawn from seed {g.seed}" if drawn_runs else ""
        c.why = (f"{runs} run{'s' if runs > 1 else ''} at {g.worker_range()}{drawn}: every value as "
                 + " and ".join(f"tests/checks/{check}.py" for check in checks) + " computes it")


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


# --- parallel -------------------------------------------------------------------------------------

HINTS = {
    "mutual": "a critical section, a lock or an ordered region lets one thread through at a time: do the work "
              "outside it, each thread on its own part, and combine the parts at the end (a reduction)",
    "barrier": "one thread did the work while the others waited: give each thread its own part (a worksharing "
               "loop, or a block by thread number)",
    "mpi": "each rank waited for another before it worked: let every rank compute its part first, and "
           "communicate after (a collective such as MPI_Reduce at the end)",
    "asleep": "your workers slept or blocked instead of working: let OpenMP (or MPI) share the work and do the "
              "waiting",
    "waste": "a thread that spins on a flag, or a rank that repeats another's work, burns CPU without sharing any: "
             "give each worker its own part, and let OpenMP or MPI do the waiting",
    "serial": "the work must be shared: each worker does its part",
}


def parallel(g):
    c = g.criteria["parallel"]
    spec = g.exercise.spec.get("parallel", {})
    needs = g.gcc_ok if g.script or g.model == "mpi" else g.clang_ok
    if not needs:
        c.why = "not run: it did not build"
        return
    evidence_ = {}
    findings = placement_evidence(g, spec, evidence_) if g.script else watched_evidence(g, spec, evidence_)
    c.evidence = evidence_
    failed = [(text, why) for ok, text, why in findings if ok is False]
    if not findings:
        c.why = "not run"
    elif failed:
        c.passed = False
        c.why = "; ".join(text for text, _ in failed)
        c.hint = "see no hang" if any("hung" in text or "did not end" in text for text, _ in failed) else \
            spec.get("hint") or HINTS.get(failed[0][1] or "serial", HINTS["serial"])
        if g.trace_hint and failed[0][1] in ("mutual", "barrier", "mpi", "asleep", "serial"):
            c.hint += f"; to see when each worker worked and where it waited: {g.trace_hint}"
    else:
        c.passed = True
        c.why = "; ".join(text for _, text, _ in findings)
    speedup = timed_speedup(g, spec)
    if speedup:
        c.evidence["speedup"] = speedup
        c.why += f"; speedup {speedup['speedup']:.2f}x at {speedup['workers']} (reported, not graded)"


def parallel_shape(g, spec):
    if g.model == "hybrid":
        return spec.get("ranks", 2), spec.get("threads", 2)
    return (1, spec.get("workers", 2)) if g.model == "openmp" else (spec.get("workers", 2), 1)


def workers_words(g, ranks, threads):
    return {"openmp": f"{threads} thread{'s' if threads > 1 else ''}", "mpi": f"{ranks} rank{'s' if ranks > 1 else ''}",
            "hybrid": f"{ranks}x{threads} ranks x threads"}[g.model]


def watched_evidence(g, spec, ev):
    """The parallel run watched by the probes: at the same time, the runtime's account against the
    kernel's, without waste, and (MPI) the calls and bytes the exercise is about. Each finding is
    (passed, text, kind of failure)."""
    ranks, threads = parallel_shape(g, spec)
    waiting = spec.get("work") == "waiting"  # sleeps or downloads: the wait is the work
    if not g.script:  # the timeline of this very run, for a file that fails
        g.trace_hint = "scripts/trace --out trace -- " + ("env " if g.model != "mpi" else "") + \
            g.describe(spec.get("args", []), ranks, threads)
    for attempt in range(SAME_TIME_TRIES):
        outcome, processes = g.watched(spec, ranks, threads)
        if outcome.code is None:
            return [(False, f"the run with the probes hung: {outcome.hang}", "")]
        if not processes:
            return [(False, f"the probes saw no {'OpenMP runtime' if g.model == 'openmp' else 'rank'} finish "
                            f"({exit_status(outcome.code)})", "serial")]
        findings, borderline = same_time(g, spec, processes, ranks, threads, waiting, ev)
        if attempt:
            ev["same_time_runs"] = attempt + 1
        failed = sum(ok is False for ok, _, _ in findings)
        if not failed or failed > borderline:
            break
    findings += agreement(g, processes, outcome, waiting, ev)
    if not waiting and not spec.get("no_waste"):
        # measured once when the run already failed: measuring it again would change no verdict
        tries = 1 if any(ok is False for ok, _, _ in findings) else WASTE_TRIES
        findings += without_waste(g, spec, processes, ranks, threads, ev, tries)
    if g.model in ("mpi", "hybrid"):
        findings += calls_and_bytes(spec, processes, ev)
    return findings


def same_time(g, spec, processes, ranks, threads, waiting, ev):
    """(findings, how many of them failed by a share of at least UNLUCKY of its need)."""
    working = "own" if waiting else "running"
    doing = "were in their own code" if waiting else "ran their own code"
    findings = []
    borderline = 0
    ev["together"] = []
    if g.model in ("openmp", "hybrid"):
        need = spec.get("share", 0.25)
        for p in processes if g.model == "hybrid" else processes[-1:]:
            teams = sorted(p.openmp.get("teams", []))
            share, team_seconds = evidence.together_threads(p, working)
            who = f"rank {p.rank}'s" if g.model == "hybrid" else "your"
            ev["together"].append({"rank": p.rank, "teams": teams, "share": round(share, 3),
                                   "team_seconds": round(team_seconds, 3), "run_seconds": round(p.samples * p.tick, 3)})
            if not teams or max(teams) < 2:
                what = f"teams of {', '.join(map(str, teams))}" if teams else "no parallel region"
                findings.append((False, f"{who} threads never formed a team of two or more ({what}): one thread did "
                                        "the work", "serial"))
                continue
            if team_seconds < MIN_TEAM_SECONDS:
                findings.append((False, f"{who} parallel regions of two or more threads lasted {team_seconds * 1e3:.0f} "
                                        f"ms of the {p.samples * p.tick:.2f} s run: too short to share the work (was it "
                                        "done outside them?)", "serial"))
                continue
            run_seconds = p.samples * p.tick
            in_teams = team_seconds / run_seconds if run_seconds else 0.0
            ev["together"][-1]["team_share"] = round(in_teams, 3)
            if in_teams < spec.get("team_share", 0.0):
                findings.append((False, f"{who} parallel regions of two or more threads held {in_teams:.0%} of the "
                                        f"{run_seconds:.2f} s run (needs {spec['team_share']:.0%}): most of the work "
                                        "was done by one thread, outside them", "serial"))
                continue
            line = (f"{who} {threads} threads {doing} at the same time for {share:.0%} of their "
                    f"{team_seconds:.2f} s in parallel regions (needs {need:.0%})")
            if share >= need:
                findings.append((True, line, ""))
            else:
                borderline += share >= UNLUCKY * need
                sites = evidence.waits([p], g.source_map())
                findings.append((False, line + waited_words(sites, "threads"), site_kind(sites)))
    if g.model in ("mpi", "hybrid"):
        need = spec.get("rank_share" if g.model == "hybrid" else "share", 0.3)
        chosen = None
        if spec.get("share_ranks") == "workers":  # rank 0 manages: the workers must compute together
            chosen = {p.rank for p in processes if p.rank > 0}
        share, span = evidence.together_ranks(processes, working, chosen)
        counted = len(chosen) if chosen is not None else len(processes)
        who = "your worker ranks" if chosen is not None else f"your {counted} ranks"
        ev["together"].append({"ranks": counted, "share": round(share, 3), "seconds": round(span, 3)})
        line = (f"{who} {'were busy' if waiting else 'computed'} at the same time for {share:.0%} of the run "
                f"({span:.2f} s; needs {need:.0%})")
        if len(processes) < 2:
            findings.append((False, f"the probes saw {len(processes)} rank(s) of {ranks}", "serial"))
        elif need <= 0:  # not this exercise's lesson: shown, never judged
            findings.append((True, line.replace("; needs 0%", "") + " (reported, not judged)", ""))
        elif share >= need:
            findings.append((True, line, ""))
        else:
            borderline += share >= UNLUCKY * need
            sites = evidence.waits(processes, g.source_map())
            findings.append((False, line + waited_words(sites, "ranks"), site_kind(sites) or "mpi"))
    return findings, borderline


def waited_words(sites, who):
    shown = [s for s in sites if s.share >= 0.05][:2]
    if not shown:
        return ""
    parts = [f"{s.share:.0%} of their time in {s.words()}" for s in shown]
    return f"; they waited {' and '.join(parts)}" if who == "threads" else f"; they spent {' and '.join(parts)}"


def site_kind(sites):
    if not sites:
        return "asleep"
    kind = sites[0].kind
    return "mutual" if kind in ("critical", "lock", "ordered", "atomic") else "mpi" if kind == "mpi" else "barrier"


def agreement(g, processes, outcome, waiting, ev):
    """The runtime's account (what the probes say each thread did) must match the kernel's: the
    probes cannot have seen more CPU time than the kernel gave the run, and a thread in its own
    code must, for a program that computes, be running it."""
    findings = []
    seen = evidence.probe_cpu(processes)
    # The kernel counts, for the run, every process it waited for: the ranks a launcher started
    # itself (in the run's session), not those a SLURM step started beside it.
    counted = getattr(outcome, "cpu_from", "") == "cgroup" or all(p.session == outcome.pid for p in processes)
    ev["cpu"] = {"probes_seconds": round(seen, 4), "kernel_seconds": round(outcome.cpu_seconds, 4),
                 "compared": counted}
    if counted and outcome.cpu_seconds and seen > 1.1 * outcome.cpu_seconds + 0.05:
        findings.append((False, f"the runtime's evidence does not match the kernel's accounting: the probes counted "
                                f"{seen:.2f} s of CPU time, the kernel {outcome.cpu_seconds:.2f} s", "serial"))
    if getattr(outcome, "ignored", 0):
        ev["ignored_evidence_files"] = outcome.ignored
    kernel = getattr(outcome, "kernel", None)
    if kernel is not None and kernel.meter.samples and not waiting:
        across = g.model == "mpi"
        claimed, saw = evidence.claimed_together_seconds(processes, across), kernel.together_seconds(across)
        ev["together_seconds"] = {"probes": round(claimed, 3), "kernel": round(saw, 3)}
        # The kernel's view is sampled from outside, every 20 ms, by a process that a busy machine
        # also slows: beside another grade it saw 0.20 s where the probes counted 0.47 s. A forged
        # file claims what never ran at all.
        if claimed > 2 * saw + 0.25:
            findings.append((False, f"the runtime's evidence does not match the kernel's accounting: the probes say two "
                                    f"{'ranks' if across else 'threads'} worked at once for {claimed:.2f} s, the kernel "
                                    f"saw two running at once for {saw:.2f} s", "serial"))
    if waiting:
        return findings
    for p in processes:
        for index, own, idle in evidence.asleep(p):
            who = f"rank {p.rank}" if g.model == "mpi" else f"thread {index}" + (f" of rank {p.rank}" if p.rank >= 0 else "")
            where = "outside MPI" if g.model == "mpi" else "in your code"
            findings.append((False, f"the runtime's evidence does not match the kernel's accounting: {who} was {where} "
                                    f"for {own:.2f} s by the runtime's account, and asleep or waking over and over "
                                    f"for {idle:.2f} s of it by the kernel's (a sleep, a mutex, a condition variable: "
                                    "a wait the runtime does not see)", "asleep"))
    return findings


def without_waste(g, spec, processes, ranks, threads, ev, most=None):
    """The CPU time of the program's own code at p workers against one worker on the same input.
    On a virtual machine the CPU time the same work takes varies from run to run by up to half (a
    neighbour on the host's core slows it), never downwards: so each side is the least of its
    runs, one worker measured twice, and a ratio above the limit is measured again (a run of each,
    up to `most` rounds). Work done twice or a thread spinning stays above the limit every time."""
    limit = spec.get("cpu_ratio", CPU_RATIO)
    parts = [evidence.own_cpu_of_workers(processes, g.model)]
    many, single = [sum(parts[0])], []
    for round_ in range(most or WASTE_TRIES):
        if round_:  # the parallel run again
            outcome, again = g.watched(spec, ranks, threads)
            if outcome.code is None or not again:
                break
            parts.append(evidence.own_cpu_of_workers(again, g.model))
            many.append(sum(parts[-1]))
        for k in range(2 if round_ == 0 else 1):
            if k and min(many) / max(single[-1], 1e-9) <= CLEAR * limit:
                break  # clearly within: noise only ever makes one worker's run dearer, never cheaper
            one, one_processes = g.watched(spec, 1, 1)
            if one.code is None or not one_processes:
                why = f"did not finish ({exit_status(one.code)})" if one.code != 0 else "left no evidence the probes wrote"
                return [(False, f"the run on one worker with the probes {why}", "serial")]
            single.append(evidence.own_cpu(one_processes, g.model))
        if min(single) < 0.02:  # too little work on one worker to compare
            ev["waste"] = {"one_worker_cpu_seconds": round(min(single), 4), "limit": limit}
            return []
        if min(many) / min(single) <= limit:
            break
    ratio = min(many) / min(single)
    # The busiest worker of the run that used least: noise only ever makes a run dearer.
    least = parts[many.index(min(many))]
    busiest = max(range(len(least)), key=least.__getitem__, default=0)
    solo = least[busiest] / min(single) if least else 0.0
    solo_limit = spec.get("solo_share", SOLO_SHARE)
    ev["waste"] = {"cpu_seconds": [round(s, 4) for s in many], "one_worker_cpu_seconds": [round(s, 4) for s in single],
                   "limit": limit, "ratio": round(ratio, 3), "workers_cpu_seconds": [round(s, 4) for s in least],
                   "busiest_share": round(solo, 3), "busiest_limit": solo_limit}
    unit = "thread" if g.model == "openmp" else "rank" if g.model == "mpi" else "worker"
    line = f"{workers_words(g, ranks, threads)} used {ratio:.2f}x the CPU time of 1 {unit}"
    # Threads only: ranks share no memory to spin on (a rank that waits does so in MPI calls, not
    # its own code), and a rank's own code holds its serial part (rank 0 deals, gathers, checks).
    if ratio <= limit and g.model != "mpi" and len(least) >= 2 and solo >= solo_limit:
        others = sum(least) - least[busiest]
        return [(False, f"{unit} {busiest} alone used {solo:.0%} of the CPU time of 1 {unit} for the whole job (at most "
                        f"{solo_limit:.0%}): the work was not shared, and the others' {others:.2f} s of CPU time did "
                        f"none of it ({line})", "waste")]
    if ratio <= limit:
        return [(True, line, "")]
    return [(False, line + f" on the same input (the least of {len(many)} and {len(single)} runs; at most "
                           f"{limit:g}x): work done twice, or waited for busily", "waste")]


def calls_and_bytes(spec, processes, ev):
    """PMPI: every rank made the calls the exercise is about, moved its bytes, and completed its
    nonblocking requests."""
    ranks = [dict(p.mpi, pid=p.pid) for p in processes if p.mpi]
    ev["ranks"] = ranks
    if not ranks:
        return [(False, "the PMPI probe saw no rank finish MPI", "serial")]
    findings = []
    for wanted in spec.get("calls", []):  # "MPI_Reduce": on every rank; "MPI_Irecv@0": on rank 0
        call, _, only = wanted.partition("@")
        chosen = [r for r in ranks if not only or r["rank"] == int(only)]
        missing = [r["rank"] for r in chosen if r["calls"].get(call, 0) == 0]
        where = f"on rank {only}" if only else "on every rank"
        findings.append((not missing, f"{call} {where}" if not missing
                         else f"rank(s) {', '.join(map(str, missing))} never called {call}", "serial"))
    if "bytes" in spec:
        low = [r["rank"] for r in ranks[1:] if r["bytes_sent"] + r["bytes_received"] < spec["bytes"]]
        moved = min(r["bytes_sent"] + r["bytes_received"] for r in ranks[1:]) if len(ranks) > 1 else 0
        findings.append((not low, f"every rank but 0 moved at least {spec['bytes']} bytes (least: {moved})"
                         if not low else f"rank(s) {', '.join(map(str, low))} moved under {spec['bytes']} bytes "
                                         "of data: their share never reached them", "serial"))
    if spec.get("no_pending"):  # every nonblocking request completed (MPI_Wait, MPI_Test...)
        left = {r["rank"]: r["pending_requests"] for r in ranks if r["pending_requests"]}
        findings.append((not left, "every request completed" if not left else
                         "requests never completed: " + ", ".join(f"rank {k}: {v}" for k, v in left.items())
                         + " (a nonblocking call's buffer is the library's until its MPI_Wait)", "serial"))
    return findings


def placement_evidence(g, spec, ev):
    """From the placement report (hybrid/where, the project's program, not the student's): each
    rank's threads on CPUs of their own."""
    command, env = g.launch(g.binary(g.BUILD), ["--json"])
    outcome = g.execute(command, env, spec.get("timeout", 60))
    g.note_hang("the placement run", outcome)
    try:
        places = json.loads(outcome.stdout)["placements"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return [(False, f"no placement report (exit code {outcome.code}): {outcome.stderr.strip()[:200]}", "")]
    ev["placements"] = places
    findings = []
    for rank in sorted({p["rank"] for p in places}):
        mine = [p for p in places if p["rank"] == rank]
        cpus = [p["cpu"] for p in mine]
        masks = [p["mask"] for p in mine]
        shared = len(set(cpus)) < len(cpus)
        findings.append((not shared, f"rank {rank}: threads on CPUs {cpus} (masks {masks})" if not shared else
                         f"rank {rank}'s {len(cpus)} threads share CPU(s) {sorted(set(cpus))} (their masks: "
                         f"{masks}): they take turns on one core", ""))
    return findings


def timed_speedup(g, spec):
    """The program's own seconds at 1 worker and at the parallel run's, from the watched runs (the
    release build's binary, with the probes: they cost it about 1% of a core): reported beside the
    evidence, never graded."""
    if not g.gcc_ok or spec.get("no_speedup") or g.script:
        return None
    ranks, threads = parallel_shape(g, spec)
    if (1, 1) not in g.timings:  # no run on one worker yet (the waste criterion had none to make)
        g.watched(spec, 1, 1)
    one, many = g.timings.get((1, 1)), g.timings.get((ranks, threads))
    if not one or not many:
        return None
    workers = {"openmp": f"{threads} threads", "mpi": f"{ranks} ranks", "hybrid": f"{ranks}x{threads}"}[g.model]
    return {"one_worker_seconds": one, "seconds": many, "speedup": one / many, "workers": workers}


# --- race-free ------------------------------------------------------------------------------------

def race_free(g):
    c = g.criteria["race_free"]
    if not g.clang_ok:
        c.why = "not run: the clang++ build failed" if not g.solution else "not run: build-archer/ has no binary"
        return
    archer = launch.runner.cmake_cache("PARACON_ARCHER", g.ARCHER)
    if not archer:
        c.why = "not run: build-archer/ has no Archer (scripts/setup archer)"
        return
    spec = g.exercise.spec.get("race", {})
    threads = spec.get("workers", 2)
    probe = g.probe_dir() if g.model == "hybrid" else None
    command, env = g.launch(g.binary(g.ARCHER), spec.get("args", []), 1, threads, launch.race_environment(archer), probe)
    outcome = g.execute(command, env, spec.get("timeout", 180), probe)
    g.note_hang(f"the race run ({g.describe(spec.get('args', []), 1, threads)})", outcome)
    reports = outcome.stderr.count("WARNING: ThreadSanitizer")
    frames = [line.strip() for line in outcome.stderr.splitlines()
              if re.match(r"\s*#\d+ ", line) and str(ROOT) in line or "student-src" in line]
    frames = [f.replace(str(g.ARCHER / "student-src" / g.model / f"{g.name}.cpp"), str(g.source or "")) for f in frames]
    c.evidence = {"reports": reports, "threads": threads, "exit_code": outcome.code, "first_frames": frames[:4]}
    if outcome.code is None:
        c.passed = False
        c.why = "the run under Archer did not end"
    elif not reports and outcome.code not in (0, 1, 66):  # 1: a wrong value, which a race may cause
        c.passed = False
        c.why = f"the run under Archer stopped ({exit_status(outcome.code)}) before it could be judged"
        c.hint = f"run it yourself: {g.describe(spec.get('args', []), 1, threads)}"
    elif reports or outcome.code == 66:
        c.passed = False
        where = re.sub(r"^#\d+\s+\S+\s+", "", frames[0]) if frames else "see the report"
        c.why = f"Archer reported {reports} data race(s) at {threads} threads; first at {where}"
        c.hint = "two threads touch the same variable and one writes: make it private, or a reduction, " \
                 "or protect the update (atomic, critical)"
    else:
        c.passed = True
        c.why = f"Archer (ThreadSanitizer) reported nothing at {threads} threads"


# --- no hang --------------------------------------------------------------------------------------

def no_hang(g):
    c = g.criteria["no_hang"]
    c.evidence = {"hangs": g.hangs, "runs": g.launched}
    if not g.launched:
        c.why = "not run: nothing ran"
    elif g.hangs:
        c.passed = False
        c.why = f"probable deadlock: {g.hangs[0]}"
        c.hint = ("two ranks each waiting for the other: who sends first, and does the message fit the eager limit?"
                  if g.model != "openmp" else
                  "a thread waiting for ever (a barrier not every thread reaches, a lock never released), or a loop "
                  "that never ends")
    else:
        c.passed = True
        c.why = f"every run ended within its time limit ({g.launched} run{'s' if g.launched > 1 else ''})"
