"""What a student's file may not do, because it would switch off or mislead the tools that grade it:

  define what a library of the run already defines   The program's own definition takes the place
      (any function or variable a shared library of    of the library's in the whole process: an
      the program, the OpenMP runtime, the MPI         MPI_Barrier of its own bypasses the grader's
      library or the grader's probes exports)          MPI layer, a malloc of its own every tool's
  define the tools' hooks (ompt_*, __tsan_*,          ompt_start_tool replaces the grader's OMPT tool;
      __sanitizer_*, __asan_*, ..., Annotate*,         __tsan_default_options configures the race
      __archer*) or the runtimes' entries               detector from inside
  call the tools' controls (__tsan_ignore_*,           they tell the race detector to look away,
      Annotate*, __sanitizer_*, ...), PMPI_* (MPI      or call MPI behind the grader's layer
      behind the layer), or look functions up by
      name at run time (dlsym, dlopen)
  ask the compiler not to instrument it                no_sanitize(...), no_sanitize_thread,
      (or hide code from the instrumentation)          disable_sanitizer_instrumentation,
                                                       no_address_safety_analysis, inline asm

The symbols are read from the compiled objects (nm), not from the text, so that no macro, #ifdef
or token pasting hides them; the attributes from the preprocessed text (every macro expanded,
every _Pragma made a #pragma), in every line that comes from the student's file or from a file it
included that is not the system's or the project's.
"""
import json
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Names a file may not define: the tools', the sanitizers', the runtimes' and MPI's.
RESERVED = re.compile(r"^(ompt_|ompd_|__tsan_|__sanitizer_|__asan_|__ubsan_|__lsan_|__msan_|__hwasan_|__archer|"
                      r"Annotate|__kmp|kmp_|__kmpc_|GOMP_|omp_|MPI_|PMPI_|MPIX_|ompi_|_ZN7paracon5probe)")
# Calls a file may not make: the tools' controls, MPI behind the grader's layer, look-ups by name.
LOOKUPS = {"dlsym", "dlvsym", "dlopen", "dlmopen", "__libc_dlsym", "__libc_dlopen_mode", "_dl_sym"}
OTHER_PROCESSES = {"ptrace", "process_vm_readv", "process_vm_writev"}
CONTROLS = re.compile(r"^(ompt_|ompd_|PMPI_|__sanitizer_|__asan_|__ubsan_|__lsan_|__msan_|__hwasan_|Annotate|"
                      r"__archer)")
# The ThreadSanitizer calls clang++ inserts into every instrumented object: the only __tsan_ names
# an object may refer to.
INSTRUMENTATION = re.compile(r"^__tsan_((unaligned_|volatile_)?(read|write)\d+(_pc)?|func_entry|func_exit|init|"
                             r"vptr_read|vptr_update|read_range|write_range|memcpy|memset|memmove|"
                             r"atomic\d+_\w+|atomic_thread_fence|atomic_signal_fence)$")
# Attributes and keywords that keep code from the sanitizers (GCC's and clang's spellings, with or
# without the double underscores).
UNINSTRUMENTED = {
    "no_sanitize": "asks the compiler not to instrument it",
    "no_sanitize_address": "asks the compiler not to instrument it",
    "no_sanitize_thread": "asks the compiler not to instrument it",
    "no_sanitize_memory": "asks the compiler not to instrument it",
    "no_sanitize_undefined": "asks the compiler not to instrument it",
    "no_sanitize_coverage": "asks the compiler not to instrument it",
    "no_address_safety_analysis": "asks the compiler not to instrument it",
    "disable_sanitizer_instrumentation": "asks the compiler not to instrument it",
    "asm": "is inline assembly, which no sanitizer sees into",
}
WHY_TOOLS = "the race detector and the grader's probes must see all of your code"


def words(name):
    """'__no_sanitize__' and 'no_sanitize' are one attribute, as are '__asm__' and 'asm'."""
    return name[2:-2] if name.startswith("__") and name.endswith("__") and len(name) > 4 else name.lstrip("_")


class Rules:
    """The rules for one program: which names the libraries it runs with export."""

    def __init__(self, programs, libraries=()):
        self.programs = [Path(p) for p in programs if Path(p).exists()]
        self.libraries = [Path(p) for p in libraries if Path(p).exists()]
        self._taken = None

    def taken(self):
        """Every name the shared libraries of the run define: those the programs load (read from
        their dynamic sections, never by running them), and the grader's tools."""
        if self._taken is None:
            libraries = set(self.libraries)
            for program in self.programs:
                libraries |= needed_libraries(program)
            done = subprocess.run(["nm", "-D", "--defined-only", "--format=posix"] + sorted(map(str, libraries)),
                                  capture_output=True, text=True)
            self._taken = {line.split()[0] for line in done.stdout.splitlines()
                           if len(line.split()) >= 2 and not line.endswith(":")}
        return self._taken

    def objects(self, objects, shown):
        """What the compiled objects define and call that they may not: one sentence each."""
        found = []
        for obj in objects:
            done = subprocess.run(["nm", "--format=posix", str(obj)], capture_output=True, text=True)
            instrumented = "__tsan_init" in done.stdout
            for line in done.stdout.splitlines():
                parts = line.split()
                if len(parts) < 2:
                    continue
                name, kind = parts[0], parts[1]
                if kind in "TDBRC" and not name.startswith("."):  # a strong definition, seen by the whole process
                    if RESERVED.match(name):
                        found.append(f"{shown} defines {name}, a name of the OpenMP runtime's, MPI's or the "
                                     "tools': a file may not replace or configure what grades it")
                    elif name != "main" and name in self.taken():
                        found.append(f"{shown} defines {name}, which a library of the program already defines: "
                                     "yours would take its place in the whole process (the grader's tools included)")
                elif kind in "Uw":
                    if name in LOOKUPS:
                        found.append(f"{shown} calls {name}: looking functions up by name at run time is not "
                                     "allowed (it reaches the tools that grade you)")
                    elif name in OTHER_PROCESSES:
                        found.append(f"{shown} calls {name}: a program may not touch other processes")
                    elif CONTROLS.match(name) or (name.startswith("__tsan_") and not
                                                  (instrumented and INSTRUMENTATION.match(name))):
                        found.append(f"{shown} calls {name}: a file may not steer the tools that grade it, nor "
                                     "call MPI behind the grader's layer")
        return unique(found)

    def text(self, preprocessed, shown, own_file):
        """Attributes and keywords that hide code from the sanitizers, in the preprocessed text's
        lines from the student's file (own_file, as the line markers name it) or from any file it
        included that is neither the system's nor the project's."""
        found = []
        for where, number, line in untrusted_lines(preprocessed, own_file):
            for name in re.findall(r"[A-Za-z_]\w*", strip_literals(line)):
                why = UNINSTRUMENTED.get(words(name))
                if why:
                    place = shown if where == own_file else where
                    found.append(f"{place}:{number}: `{name}` {why}: {WHY_TOOLS}")
        return unique(found)


def system_libraries():
    """{soname: path} of the libraries the dynamic loader knows (ldconfig's cache)."""
    done = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True)
    found = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("x86-64" in match.group(2) or match.group(1) not in found):
            found[match.group(1)] = match.group(3) if "x86-64" in match.group(2) else found.get(match.group(1),
                                                                                                 match.group(3))
    return found


def needed_libraries(binary, known=None):
    """The shared libraries a binary loads, and theirs, from the NEEDED and RUNPATH entries of
    their dynamic sections (readelf: nothing of theirs runs)."""
    known = known if known is not None else system_libraries()
    found, todo = set(), [Path(binary)]
    while todo:
        current = todo.pop()
        done = subprocess.run(["readelf", "-d", str(current)], capture_output=True, text=True)
        paths = []
        for entry in re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.*)\]", done.stdout):
            paths += [p.replace("$ORIGIN", str(current.parent)) for p in entry.split(":") if p]
        for name in re.findall(r"\(NEEDED\).*\[(.*)\]", done.stdout):
            where = next((Path(d) / name for d in paths if (Path(d) / name).exists()), None)
            where = where or (Path(known[name]) if name in known else None)
            if where and where.resolve() not in found:
                found.add(where.resolve())
                todo.append(where.resolve())
    return found


def unique(items):
    return list(dict.fromkeys(items))


TRUSTED = ("/usr/", str(ROOT / "paracon") + "/", str(ROOT / "openmp") + "/", str(ROOT / "mpi") + "/",
           str(ROOT / "hybrid") + "/", str(ROOT / "coursework") + "/")


def untrusted_lines(text, own_file):
    """(file, line number, text) of each preprocessed line whose file is the student's or one that
    is not the system's or the project's (by the `# N "file"` line markers)."""
    where, number = own_file, 0
    for line in text.splitlines():
        marker = re.match(r'^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"', line)
        if marker:
            number, where = int(marker.group(1)) - 1, marker.group(2).encode().decode("unicode_escape")
            continue
        number += 1
        if where == own_file or not (where.startswith(TRUSTED) or where.startswith("<")):
            yield where, number, line


LITERALS = re.compile(r'R"([^(\s]{0,16})\((?:.|\n)*?\)\1"|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


def strip_literals(line):
    """A line without its string and character literals (a name in a string is not code)."""
    return LITERALS.sub('""', line)


def compile_entry(build, source):
    """(the words of the command the build compiles `source` with, the folder it runs in), from
    the build tree's compile_commands.json; None when it has no such entry."""
    try:
        entries = json.loads((Path(build) / "compile_commands.json").read_text())
    except (OSError, ValueError):
        return None
    for entry in entries:
        if Path(entry["file"]).resolve() == Path(source).resolve():
            words = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
            return words, Path(entry.get("directory", build))
    return None


def retarget(words, cwd, replacements, output, objects=None, preprocess=False):
    """A recorded compile or link command run elsewhere: `output` for its -o, whole words replaced
    as `replacements` says, an object ending as a key of `objects` replaced by its value, every
    path relative to `cwd` made absolute, dependency-file options dropped, and with `preprocess`
    -E instead of -c."""
    line, skip = [], False
    for k, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word in ("-MF", "-MT", "-MQ"):
            skip = True
            continue
        if word in ("-MD", "-MMD") or (preprocess and word == "-c"):
            continue
        if word == "-o":
            line += ["-o", output]
            skip = True
            continue
        if word in replacements:
            word = replacements[word]
        elif objects and any(word.endswith(end) for end in objects):
            word = next(v for end, v in objects.items() if word.endswith(end))
        elif k and not word.startswith("-") and not word.startswith("/") and (Path(cwd) / word).exists():
            word = str((Path(cwd) / word).resolve())
        line.append(word)
    return line + (["-E"] if preprocess else [])
