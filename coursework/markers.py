"""The exercise markers in a program file, and what they make of it.

A program is its own exercise's solution. The lines that are the lesson sit between markers:

    //@ task 2: Share the loop among the threads, and add their partial sums with a reduction.
    //@ hint: reduction(+ : total) gives each thread a private total, added at the end.
    //@ start: total = paracon::range_sum(0, n); // one thread sums it all
    #pragma omp parallel num_threads(threads) reduction(+ : total)
    { ... }
    //@ end

A shell script (a bug hunt's launch line) has the same markers with `#@`. `task N:` says what to write (more `//@` lines continue it, as they do a hint); `start:` lines
are the code the skeleton has instead (none: the skeleton has nothing there); the lines up to
`//@ end` are the solution. A bug hunt's block is `//@ bug`, the `start:` lines being the bug:
its skeleton says nothing of where it is.

    skeleton(text)  the student's file: every block replaced by its TODO, hint and start lines
    solution(text)  the program without its markers (a bug hunt's reference fix)
    serial(text)    the solution with every `#pragma omp` inside a block removed: the mutant that
                    does the work on one thread, which the grader must catch
    tasks(text)     the numbered tasks and hints, for the exercise's text
"""
import re
from dataclasses import dataclass, field

MARKER = re.compile(r"^(?P<indent>\s*)(?://|#)@(?: (?P<rest>.*))?$")  # // in C++, # in a shell script
KEYWORD = re.compile(r"^(?P<key>task (?P<number>\d+)|hint|start|end|bug)(?::(?: (?P<text>.*))?)?$")


class MarkerError(ValueError):
    pass


@dataclass
class Block:
    kind: str                      # "task" or "bug"
    number: int                    # the task's number (0 for a bug)
    indent: str
    text: str = ""                 # what to do
    hint: str = ""
    start: list = field(default_factory=list)     # the skeleton's lines
    solution: list = field(default_factory=list)  # the program's lines
    first_line: int = 0            # 1-based line of the block's first marker


def parse(text, where="program"):
    """The file as a list whose items are plain lines (str) and Blocks, in order."""
    items, block, last = [], None, None
    for number, line in enumerate(text.splitlines(), 1):
        match = MARKER.match(line)
        if not match:
            if block is not None:
                block.solution.append(line)
            else:
                items.append(line)
            continue
        rest = match.group("rest") or ""
        key = KEYWORD.match(rest)
        if key is None:  # a continuation of the task's or the hint's text
            if block is None or last not in ("text", "hint"):
                raise MarkerError(f"{where}:{number}: '//@ {rest}' continues nothing")
            setattr(block, last, (getattr(block, last) + " " + rest.strip()).strip())
            continue
        word, body = key.group("key"), key.group("text") or ""
        if word.startswith("task") or word == "bug":
            if block is not None:
                raise MarkerError(f"{where}:{number}: a block opens inside the one opened on line {block.first_line}")
            block = Block("bug" if word == "bug" else "task", int(key.group("number") or 0), match.group("indent"),
                          text=body.strip(), first_line=number)
            last = "text"
        elif block is None:
            raise MarkerError(f"{where}:{number}: '//@ {word}' outside a block")
        elif word == "hint":
            if block.start or block.solution:
                raise MarkerError(f"{where}:{number}: the hint goes before the start lines and the solution")
            block.hint, last = body.strip(), "hint"
        elif word == "start":
            if block.solution:
                raise MarkerError(f"{where}:{number}: start lines go before the solution")
            block.start.append(body)
            last = None
        else:  # end
            if not block.solution:
                raise MarkerError(f"{where}:{number}: the block opened on line {block.first_line} has no solution")
            items.append(block)
            block, last = None, None
    if block is not None:
        raise MarkerError(f"{where}:{block.first_line}: a block without '//@ end'")
    numbers = [b.number for b in items if isinstance(b, Block) and b.kind == "task"]
    if numbers != sorted(set(numbers)):
        raise MarkerError(f"{where}: task numbers {numbers} are not increasing")
    return items


def _lines(items, render):
    out = []
    for item in items:
        out.extend([item] if isinstance(item, str) else render(item))
    return "\n".join(out) + "\n"


def skeleton(text, where="program"):
    def render(b):
        lines = []
        if b.kind == "task":
            lines += _wrap(f"TODO {b.number}: {b.text}", b.indent)
            if b.hint:
                lines += _wrap(f"Hint: {b.hint}", b.indent)
        return lines + [b.indent + line if line else "" for line in b.start]
    return _lines(parse(text, where), render)


def solution(text, where="program"):
    return _lines(parse(text, where), lambda b: b.solution)


PRAGMA_OMP = re.compile(r"^\s*#\s*pragma\s+omp\b")


def serial(text, where="program"):
    """The solution with the OpenMP pragmas of its blocks deleted (continuation lines too)."""
    def render(b):
        kept, continued = [], False
        for line in b.solution:
            if continued or PRAGMA_OMP.match(line):
                continued = line.rstrip().endswith("\\")
                continue
            kept.append(line)
        return kept
    return _lines(parse(text, where), render)


def tasks(text, where="program"):
    """[(number, text, hint)] of the task blocks, in order."""
    return [(b.number, b.text, b.hint) for b in parse(text, where) if isinstance(b, Block) and b.kind == "task"]


def blocks(text, where="program"):
    return [b for b in parse(text, where) if isinstance(b, Block)]


def _wrap(text, indent, width=100):
    """`// text` lines at `indent`, wrapped at `width` columns."""
    words, lines, line = text.split(), [], ""
    room = width - len(indent) - 3
    for word in words:
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line = "  " + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [f"{indent}// {line}" for line in lines]
