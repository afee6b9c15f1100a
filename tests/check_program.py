#!/usr/bin/env python3
"""Runs one of the project's programs and checks what it reports against values computed here,
independently, with Python's exact integers (tests/checks/<check>.py says what each check holds).

    check_program.py CHECK [OPTIONS] -- COMMAND...
    check_program.py CHECK --help

CHECK is an experiment (range_sum, big_power, ...), `where`, `plot`, or `bad_input`. COMMAND is
the program with its arguments, or its launch line (mpiexec -n 3 .../mpi/range_sum ...). Exits 0
when everything holds; otherwise prints what did not and exits 1.
"""
import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checks  # noqa: E402


def main():
    names = sorted(m.name for m in pkgutil.iter_modules(checks.__path__) if m.name != "common")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="check", required=True, metavar="CHECK")
    modules = {}
    for name in names:
        module = importlib.import_module(f"checks.{name}")
        modules[name] = module
        sub = commands.add_parser(name, help=(module.__doc__ or "").split("\n")[0], description=module.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("the command to run goes after --")
    modules[args.check].check(args, command)


if __name__ == "__main__":
    main()
