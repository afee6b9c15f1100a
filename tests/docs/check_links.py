#!/usr/bin/env python3
"""No dead link in the project's pages: every relative link and picture of README.md,
coursework/EXERCISES.md and docs/*.md names a file or folder of the repository (an anchor after
'#' is left out), and every picture is a PNG. Links to the web are not followed (no traffic
leaves the machine in a test).

    check_links.py ROOT
"""
import re
import sys
from pathlib import Path

LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def main():
    root = Path(sys.argv[1]).resolve()
    pages = [root / "README.md", root / "coursework" / "EXERCISES.md", *sorted((root / "docs").glob("*.md"))]
    dead, checked = [], 0
    for page in pages:
        if not page.exists():
            continue
        for number, line in enumerate(page.read_text().splitlines(), 1):
            for picture, target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                checked += 1
                path = (page.parent / target.split("#")[0]).resolve()
                where = f"{page.relative_to(root)}:{number}: {target}"
                if not path.exists():
                    dead.append(f"{where}: no such file")
                elif picture and path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
                    dead.append(f"{where}: not a PNG")
    if dead:
        print("FAIL: dead links:\n  " + "\n  ".join(dead))
        return 1
    print(f"ok: {checked} links and pictures, none dead")
    return 0


if __name__ == "__main__":
    sys.exit(main())
