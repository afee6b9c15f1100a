"""scrape: a scraper run against the local bookshop (tests/scrape/bookshop.py), every saved row
checked against the generator's truth.

    check_program.py scrape --site DIR [--variant site|slow<MS>|faulty|flaky|refused|file]
                    [--pages A..B] [--expect PAGE=REASON]... [--raw] [--attempts N]
                    [--max-seconds S] [--min-seconds S] [--pty] [--max-peak BYTES]
                    [--previous PAGES] [--interrupt N] -- COMMAND [ARGS...]

COMMAND gets --url, --pages, --out (a fresh folder) and --json appended. Checked: the exit code
(0, or 1 when a page is expected to fail); the report (pages saved, each failure with its page
and a reason containing REASON, and with --attempts the attempts of every page); every
results_{i}.csv (header, each row's title, price, stock and numeric price against the truth,
quoting read back by Python's csv module); results.csv, the same rows in page order with the
page first; with --raw, html_books_{i}.html byte for byte as served and no CSV; no file for a
failed page and no temporary file left behind; the wall time under --max-seconds and the
program's own time over --min-seconds (a rate limit). With --pty
the program runs with stderr on a terminal and must draw its progress bar there.

--variant mangled: the pages of bookshop.MANGLED hold bytes that are not UTF-8 and a NUL; their
rows must have U+FFFD in their place, every book still there, and the report must warn of
exactly those pages. --max-peak: the program's peak memory (its largest resident set) stays
under BYTES. --previous PAGES: an earlier run scraped PAGES (of the plain site) into the same folder first;
the run checked must write, report and combine its own pages only, and leave the earlier files. --interrupt N: N runs, each sent
SIGINT or SIGTERM after a random moment, must leave no temporary file behind, whatever they were
writing then; with --swept, the next run into the same folder must remove what one left (an MPI
launcher may kill a rank outright, which no program can clean up after).
"""
import argparse
import csv
import io
import json
import os
import pty
import random
import re
import resource
import signal
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scrape"))
import bookshop  # noqa: E402  the truth's generator, and the faults it serves
from checks.common import fail, forget_openmp_registrations  # noqa: E402

HEADER = ["Title", "Price", "Stock Availability", "Price (GBP)"]


def pages_of(text):
    first, _, last = text.partition("..")
    return list(range(int(first), int(last or first) + 1))


def closed_port():
    """A port on 127.0.0.1 where nothing listens: taken from the kernel, then let go."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_for(args):
    if args.variant == "file":
        return f"file://{args.site}/catalogue/page-{{}}.html"
    if args.variant == "refused":
        return f"http://127.0.0.1:{closed_port()}/site/catalogue/page-{{}}.html"
    port = int(open(os.path.join(args.site, "port")).read())
    variant = f"flaky-{uuid.uuid4().hex}" if args.variant == "flaky" else args.variant
    return f"http://127.0.0.1:{port}/{variant}/catalogue/page-{{}}.html"


def run_on_pty(command):
    """Runs COMMAND with stderr on a pseudo-terminal; returns (result-like, what the terminal got)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    stdout = process.stdout.read()
    process.wait()
    os.close(leader)
    return subprocess.CompletedProcess(command, process.returncode, stdout, screen.decode(errors="replace")), screen


def expected_row(row):
    return [row["title"], row["price"], "True" if row["in_stock"] else "False",
            f"{row['pence'] // 100}.{row['pence'] % 100:02d}"]


def expected_rows(truth, page, variant):
    """The rows a page must give: the truth, with the mangled titles' bad bytes as U+FFFD."""
    rows = [dict(r) for r in truth["rows"][str(page)]]
    if variant == "mangled" and page in bookshop.MANGLED:
        book, _, replaced = bookshop.MANGLED[page]
        rows[book]["title"] = bookshop.REPLACEMENT * replaced + rows[book]["title"]
    return rows


def read_csv(path, result):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        fail(f"{path} is empty", result)
    return rows


def add_arguments(parser):
    parser.add_argument("--site", required=True)
    parser.add_argument("--variant", default="site")
    parser.add_argument("--pages", default="1..50")
    parser.add_argument("--expect", action="append", default=[], help="PAGE=REASON: this page fails, saying REASON")
    parser.add_argument("--faults", action="store_true", help="expect the faulty variant's failures")
    parser.add_argument("--raw", action="store_true")
    parser.add_argument("--attempts", type=int)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--min-seconds", type=float, default=0)
    parser.add_argument("--pty", action="store_true")
    parser.add_argument("--max-peak", type=int, help="bytes the program's resident memory may reach")
    parser.add_argument("--previous", metavar="PAGES", help="scrape these pages into the same folder first")
    parser.add_argument("--interrupt", type=int, metavar="N", help="N runs interrupted by a signal")
    parser.add_argument("--swept", action="store_true",
                        help="--interrupt: a run may leave temporaries if the next run in its folder removes them")


def interrupted(args, command, out):
    """--interrupt: runs that a signal ends mid-way stop at once and alike: a run that the signal
    stopped (it never wrote results.csv, its last act) says so in one line (the OpenMP scraper:
    exit code 128 + signal; an MPI launcher gives its own: Open MPI's 1, MPICH's 0), never says
    "Solution validates", and leaves no temporary file in its folder. The time from the signal
    to the end is bounded: an MPI launcher may wait before it passes a signal on (Open MPI's
    mpirun sends SIGCONT, then SIGTERM a second later)."""
    rng = random.Random(1)
    stopped = 0
    launched = Path(command[0]).name.startswith(("mpiexec", "mpirun"))
    most = 3.0 if launched else 1.0
    for k in range(args.interrupt):
        folder = os.path.join(out, f"run-{k + 1}")
        sent = signal.SIGINT if k % 2 == 0 else signal.SIGTERM
        # As at a terminal: whatever this checker's parents ignore, the program gets both signals.
        process = subprocess.Popen(command + ["--out", folder], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL)
                                                                  for s in (signal.SIGINT, signal.SIGTERM)])
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(sent)
        began = time.monotonic()
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            fail(f"run {k + 1} did not end within 30 s of its signal")
        took = time.monotonic() - began
        result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        forget_openmp_registrations([process.pid])
        files = os.listdir(folder) if os.path.isdir(folder) else []
        leftovers = [f for f in files if f.startswith(".")]
        if leftovers and args.swept:  # the next run in the folder must remove them
            subprocess.run(command + ["--out", folder], capture_output=True, timeout=120)
            leftovers = [f"{name} (not swept by the next run)" for name in os.listdir(folder) if name.startswith(".")]
        if leftovers:
            fail(f"run {k + 1}, sent {sent.name} (exit {process.returncode}), left temporary files: {leftovers}", result)
        if "results.csv" in files:
            continue  # it had finished when the signal came
        stopped += 1
        said = [line for line in stderr.splitlines() if line.startswith("scrape: error: interrupted by ")]
        if len(said) != 1 or "Solution validates" in stdout:
            fail(f"run {k + 1}, stopped by {sent.name}: {len(said)} 'interrupted' lines, expected one, and no verdict",
                 result)
        if not launched and process.returncode != 128 + sent:
            fail(f"run {k + 1}: exit code {process.returncode} after {sent.name}, expected {128 + sent}", result)
        if took > most:
            fail(f"run {k + 1} took {took:.2f} s to stop after {sent.name}, more than {most} s", result)
    if stopped == 0:
        fail("every run had finished when its signal came: nothing was tested")
    print(f"ok: {args.interrupt} runs sent a signal ({stopped} stopped by it, each at once, in one line), no "
          "temporary file left")


def check(args, command):
    args.site = os.path.abspath(args.site)

    truth = json.load(open(os.path.join(args.site, "truth.json"), encoding="utf-8"))
    pages = pages_of(args.pages)
    expected_failures = {}
    if args.faults:
        expected_failures = {p: bookshop.FAULT_REASONS[f] for p, f in bookshop.FAULTS.items() if p in pages}
    for item in args.expect:
        page, _, reason = item.partition("=")
        for p in pages if page == "all" else [int(page)]:
            expected_failures[p] = reason

    out = tempfile.mkdtemp(prefix="scrape-", dir=os.getcwd())
    os.chmod(out, 0o1777)  # the program may run as another user (the grader's sandbox)
    url = url_for(args)
    if args.interrupt:
        return interrupted(args, command + ["--url", url, "--pages", args.pages], out)
    previous = []
    if args.previous:
        site = url_for(argparse.Namespace(**{**vars(args), "variant": "site"}))  # an earlier run that went well
        earlier = subprocess.run(command + ["--url", site, "--pages", args.previous, "--out", out], capture_output=True,
                                 text=True, timeout=args.max_seconds + 60)
        previous = sorted(os.listdir(out))
        if earlier.returncode != 0 or not previous:
            fail(f"the earlier run into the same folder did not save its pages (exit {earlier.returncode})", earlier)
    command = command + ["--url", url, "--pages", args.pages, "--out", out, "--json"]
    start = time.monotonic()
    if args.pty:
        result, screen = run_on_pty(command)
    else:
        result = subprocess.run(command, capture_output=True, text=True, timeout=args.max_seconds + 60)
    seconds = time.monotonic() - start

    want_code = 1 if expected_failures else 0
    if result.returncode != want_code:
        fail(f"exit code {result.returncode}, expected {want_code}", result)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as e:
        fail(f"stdout is not one JSON object: {e}", result)
    if seconds > args.max_seconds:
        fail(f"took {seconds:.1f} s, more than {args.max_seconds} s", result)
    # A library's own messages ("encoding error : input conversion failed...", libxml2's form)
    # belong in the page's reason, never on stderr.
    stray = [line for line in result.stderr.splitlines() if re.match(r"^\w[\w ]* (error|warning) : ", line)]
    if stray:
        fail(f"a library wrote to stderr: {stray[0]!r}", result)
    if report["seconds"] < args.min_seconds:
        fail(f"took {report['seconds']:.2f} s, less than {args.min_seconds} s", result)

    # The report: counts, and every failure named with its reason.
    saved_pages = [p for p in pages if p not in expected_failures]
    wanted = {"pages": len(pages), "saved": len(saved_pages), "failed": len(expected_failures)}
    if not args.raw:
        wanted["rows"] = sum(len(truth["rows"][str(p)]) for p in saved_pages)
        wanted["written"] = saved_pages  # the files of this run, and no earlier one's
    for key, value in wanted.items():
        if report.get(key) != value:
            fail(f"report's {key} is {report.get(key)!r}, expected {value!r}", result)
    failures = {f["page"]: f["why"] for f in report["failures"]}
    if sorted(failures) != sorted(expected_failures):
        fail(f"failed pages {sorted(failures)}, expected {sorted(expected_failures)}", result)
    for page, reason in expected_failures.items():
        if reason not in failures[page]:
            fail(f"page {page} failed with {failures[page]!r}, expected a reason containing {reason!r}", result)
    warned = {w["page"] for w in report["warnings"]}
    want_warned = set(bookshop.MANGLED) & set(saved_pages) if args.variant == "mangled" else set()
    if warned != want_warned:
        fail(f"warnings for pages {sorted(warned)}, expected {sorted(want_warned)} (bytes that were not UTF-8)", result)
    if args.max_peak is not None:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        if peak > args.max_peak:
            fail(f"peak memory {peak >> 20} MiB, more than {args.max_peak >> 20} MiB", result)
    if args.attempts is not None:
        attempts = {p["page"]: p["attempts"] for p in report["per_page"]}
        if any(attempts[p] != args.attempts for p in pages):
            fail(f"attempts per page {attempts}, expected {args.attempts} each", result)

    # The files: exactly the saved pages', each row as the truth has it.
    files = sorted(os.listdir(out))
    leftovers = [f for f in files if f.startswith(".")]
    if leftovers:
        fail(f"temporary files left behind: {leftovers}", result)
    if args.raw:
        want_files = sorted(f"html_books_{p}.html" for p in saved_pages)
    else:
        want_files = sorted([f"results_{p}.csv" for p in saved_pages] + ["results.csv"])
    want_files = sorted(set(want_files) | set(previous))  # an earlier run's files stay, unclaimed
    if files != want_files:
        fail(f"files {files}, expected {want_files}", result)
    combined = [["Page"] + HEADER]
    for page in saved_pages:
        if args.raw:
            with open(os.path.join(args.site, "catalogue", f"page-{page}.html"), "rb") as f:
                served = f.read()
            with open(os.path.join(out, f"html_books_{page}.html"), "rb") as f:
                if f.read() != served:
                    fail(f"html_books_{page}.html differs from the page served", result)
            continue
        rows = read_csv(os.path.join(out, f"results_{page}.csv"), result)
        want = [HEADER] + [expected_row(r) for r in expected_rows(truth, page, args.variant)]
        if rows != want:
            bad = next(k for k in range(max(len(rows), len(want))) if k >= len(rows) or k >= len(want) or rows[k] != want[k])
            fail(f"results_{page}.csv line {bad + 1}: {rows[bad] if bad < len(rows) else None!r}, "
                 f"expected {want[bad] if bad < len(want) else None!r}", result)
        combined += [[str(page)] + row for row in want[1:]]
    if not args.raw and read_csv(os.path.join(out, "results.csv"), result) != combined:
        fail("results.csv is not every saved row in page order", result)

    if args.pty:
        if "\r" not in result.stderr or f"{len(pages)}/{len(pages)} pages" not in result.stderr or "[" not in result.stderr:
            fail("no progress bar on the terminal", result)
    shutil.rmtree(out)
    print(f"ok: {len(saved_pages)} pages saved and checked, {len(expected_failures)} failed as expected, "
          f"{seconds:.2f} s")

