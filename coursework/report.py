"""A grade, as people and tools read it: the table the student sees, and Gradescope's
results.json (which GitHub Classroom's runners read as well)."""

NAMES = {"builds": "builds", "correct": "correct", "parallel": "parallel", "race_free": "race-free",
         "no_hang": "no hang"}


def table(exercise, source, criteria, seed=None, sandbox="", contained=()):
    lines = [f"{exercise.id}: {source}"]
    if sandbox:
        lines.append(sandbox)
    if contained:
        lines.append("contained: " + "; ".join(contained))
    if seed is not None:
        lines.append(f"sizes drawn from seed {seed} (--seed {seed} draws them again)")
    lines.append("")
    width = max(len(NAMES[c.key]) for c in criteria)
    for c in criteria:
        verdict = "pass" if c.passed else "FAIL" if c.passed is False else "-"
        lines.append(f"{NAMES[c.key].ljust(width)}  {verdict:4}  {c.why}")
        if c.passed is False and c.hint:
            lines.append(f"{' ' * width}        hint: {c.hint}")
    passed = sum(1 for c in criteria if c.passed)
    failed = len(criteria) - passed
    lines += ["", f"{passed} passed, {failed} failed"]
    return "\n".join(lines)


def results_json(exercise, source, criteria, seed=None, sandbox="", contained=()):
    """Gradescope's results.json (score, tests with name, score, max_score, status, output), with
    each criterion's evidence."""
    tests = [{"name": NAMES[c.key], "score": 1 if c.passed else 0, "max_score": 1,
              "status": "passed" if c.passed else "failed",
              "output": c.why + (f"\nhint: {c.hint}" if c.passed is False and c.hint else ""),
              "extra_data": c.evidence} for c in criteria]
    return {"score": sum(t["score"] for t in tests), "max_score": len(tests), "exercise": exercise.id,
            "file": str(source), "seed": seed, "sandbox": sandbox, "contained": list(contained), "tests": tests}
