#!/usr/bin/env python3
"""Every shell block of the pages that starts with a project command runs, or says why not.

A block is a ```sh fence in README.md, coursework/EXERCISES.md or docs/*.md. It starts with a
project command when its first command names a file or folder of the repository (build/...,
scripts/..., jobs/..., after any VAR=value words or a launcher) or is cmake or ctest with a
preset. Such a block either follows a `<!-- not run: REASON -->` line (the next block after it,
with nothing but prose between) or is run: with bash -euo pipefail, in a scratch folder whose
entries are links to the repository's own, so that a command writes its files there and not in
the repository; it must exit 0 within 300 s. Blocks of output (``` or ```text) are not run.

A block after `<!-- run in the smpi build -->` needs the SMPI build (build-smpi/): the release
build's tests leave it, and the smpi preset's tests run those blocks alone (--smpi).

    check_blocks.py ROOT [--smpi]
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

FENCE = re.compile(r"^```(\w*)\s*$")
NOT_RUN = re.compile(r"^<!-- not run: (.+?) -->\s*$")
SMPI = re.compile(r"^<!-- run in the smpi build -->\s*$")


def blocks(page):
    """(line number, text, reason it is not run or None) of each sh block."""
    lines, found, reason, k = page.read_text().splitlines(), [], None, 0
    while k < len(lines):
        marked = NOT_RUN.match(lines[k])
        if marked:
            reason = marked.group(1)
        elif SMPI.match(lines[k]):
            reason = SMPI
        fence = FENCE.match(lines[k])
        if fence:
            end = next((j for j in range(k + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            if fence.group(1) == "sh":
                found.append((k + 1, "\n".join(lines[k + 1:end]), reason))
            reason, k = None, end
        k += 1
    return found


def project_command(text, root):
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
            words = words[1:]
        if words and words[0] in ("cmake", "ctest") and any(w.startswith("--preset") for w in words):
            return True
        return any("/" in w and (root / w.removeprefix("./")).exists() for w in words)
    return False


def main():
    root = Path(sys.argv[1]).resolve()
    smpi = sys.argv[2:] == ["--smpi"]
    pages = [root / "README.md", root / "coursework" / "EXERCISES.md", *sorted((root / "docs").glob("*.md"))]
    failed, ran, skipped = [], 0, 0
    for page in pages:
        for number, text, reason in blocks(page):
            where = f"{page.relative_to(root)}:{number}"
            if not project_command(text, root):
                continue
            if (reason is SMPI) != smpi:  # the other build's block
                continue
            if reason and reason is not SMPI:
                skipped += 1
                continue
            with tempfile.TemporaryDirectory(prefix="paracon-block-") as scratch:
                for entry in root.iterdir():
                    if not entry.name.startswith("."):
                        os.symlink(entry, Path(scratch) / entry.name)
                try:
                    done = subprocess.run(["bash", "-euo", "pipefail", "-c", text], cwd=scratch, capture_output=True,
                                          text=True, timeout=300)
                    code = done.returncode
                    detail = (done.stderr.strip() or done.stdout.strip())[-300:]
                except subprocess.TimeoutExpired:
                    code, detail = "timeout", "did not end within 300 s"
            ran += 1
            if code != 0:
                failed.append(f"{where}: exit {code}: {detail}")
            else:
                print(f"ran {where}")
    if failed:
        print("FAIL: blocks that do not run (mark one `<!-- not run: REASON -->` if it must not):\n  "
              + "\n  ".join(failed))
        return 1
    print(f"ok: {ran} blocks ran, {skipped} marked not run with their reasons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
