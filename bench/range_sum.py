#!/usr/bin/env python3
"""Range-sum benchmark: the foundation issue's four figures, measured side by side in one run
and printed as ratios (absolute times drift on a shared machine; ratios much less).

  1. serial C++ range_sum against the notebook's `sum(range(N)) % 23` at N = 3e8  (target >= 100x)
  2. OpenMP split at N = 3e9, 2 threads against 1 thread                      (target >= 1.8x)
  3. MPI split at N = 3e9, 2 ranks against 1 rank, the program's own timing;
     mpirun's launch time reported separately                                 (target >= 1.8x)
  4. the exact 128-bit-safe kernel against the same SIMD loop wrapping in 64 bits
     (target <= 1.15x), and against a plain `s += i` loop; with clang++ too, when present

Uses build/ (the default portable build: no -march=native). Repetitions are interleaved and
the median kept. Run:  bench/range_sum.py [--repetitions R] [--json FILE]
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402  where the build is, how to launch MPI
from runner import BUILD, ROOT, cmake_cache  # noqa: E402


def sci(n):
    return f"{n:.0e}".replace("e+0", "e").replace("e+", "e")


def program(model, args, ranks=1, threads=1):
    return lambda: runner.validated(model, "range_sum", args, ranks=ranks, threads=threads)


def python_sum(n):
    code = f"import time; t = time.perf_counter(); r = sum(range({n})) % 23; print(time.perf_counter() - t, r)"
    seconds, residue = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(seconds), int(residue)


def kernels(binary, n, repetitions):
    done = subprocess.run([str(binary), str(n), str(repetitions)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def clang_kernels(n, repetitions):
    """The kernel bench built with clang++ too: does the SIMD loop survive, and what does
    Clang do with the plain loop? (It replaces it with the closed form.)"""
    clang = shutil.which("clang++")
    if not clang:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        binary = Path(tmp) / "range_sum_kernels"
        kernels_dir, plumbing = ROOT / "paracon/kernels", ROOT / "paracon/plumbing"
        sources = [ROOT / "bench/range_sum_kernels.cpp", kernels_dir / "range_sum.cpp", kernels_dir / "exact.cpp",
                   plumbing / "numbers.cpp", plumbing / "report.cpp"]
        subprocess.run([clang, "-O3", "-std=gnu++20", "-DNDEBUG", f"-I{kernels_dir / 'include'}",
                        f"-I{plumbing / 'include'}", *map(str, sources), "-o", str(binary)], check=True,
                       capture_output=True)
        return kernels(binary, n, repetitions)


def main():
    parser = runner.bench_parser(__doc__, repetitions=5)
    args = parser.parse_args()
    if not (BUILD / "CMakeCache.txt").exists():
        sys.exit("bench: build/ is missing: run scripts/setup first")
    if cmake_cache("PARACON_NATIVE") == "ON":
        print("note: build/ was configured with PARACON_NATIVE=ON; the targets are for the portable build")
    r = args.repetitions
    small, big = 300_000_000, 3_000_000_000
    figures = []

    print(f"== 1. serial C++ against Python's sum(range(n)) % 23, n = {sci(small)} (python: {sys.executable})")
    py_seconds, py_residue = python_sum(small)
    cpp = runner.median(runner.interleave({"cpp": program("serial", [str(small)])}, r)["cpp"])
    assert py_residue == (small * (small - 1) // 2) % 23
    figures.append(("serial C++ vs Python, n=3e8", py_seconds / cpp, ">= 100", py_seconds / cpp >= 100,
                    f"C++ {cpp * 1e3:.1f} ms, Python {py_seconds:.2f} s"))

    print(f"== 2. OpenMP split, n = {sci(big)}: 1 thread and 2 threads")
    s = runner.interleave({t: program("openmp", [str(big), "--mode", "split"], threads=t) for t in (1, 2)}, r)
    m = {t: runner.median(s[t]) for t in s}
    figures.append(("OpenMP split 2 vs 1 thread, n=3e9", m[1] / m[2], ">= 1.8", m[1] / m[2] >= 1.8,
                    f"{m[1]:.3f} s / {m[2]:.3f} s"))

    print(f"== 3. MPI split, n = {sci(big)}: 1 rank and 2 ranks")
    s = runner.interleave({k: program("mpi", [str(big), "--mode", "split"], ranks=k) for k in (1, 2)}, r)
    m = {k: runner.median(s[k]) for k in s}
    outside = {k: runner.median(s[k], lambda report: report["wall_seconds"] - report["seconds"]) for k in s}
    figures.append(("MPI split 2 vs 1 rank, n=3e9", m[1] / m[2], ">= 1.8", m[1] / m[2] >= 1.8,
                    f"{m[1]:.3f} s / {m[2]:.3f} s (program's timing)"))
    figures.append(("mpirun launch and teardown, 1 / 2 ranks", None, "", None,
                    f"{outside[1]:.3f} s / {outside[2]:.3f} s outside the timed region"))

    print("== 4. exact kernel against 64-bit wrapping loops")
    for n in (small, big):
        k = kernels(BUILD / "bench/range_sum_kernels", n, max(r, 5))
        figures.append((f"exact vs wrapping SIMD loop, n={sci(n)}", k["exact_over_wrapping"], "<= 1.15",
                        k["exact_over_wrapping"] <= 1.15, f"{k['exact_seconds'] * 1e3:.1f} ms / {k['wrapping_seconds'] * 1e3:.1f} ms"))
        figures.append((f"plain s += i loop vs exact, n={sci(n)}", 1 / k["exact_over_plain"], "", None,
                        f"plain loop {k['plain_seconds'] * 1e3:.1f} ms ({k['compiler']})"))
    k = clang_kernels(small, max(r, 5))
    if k:
        figures.append(("clang++: exact vs wrapping SIMD loop, n=3e8", k["exact_over_wrapping"], "<= 1.15",
                        k["exact_over_wrapping"] <= 1.15, f"exact {k['exact_seconds'] * 1e3:.1f} ms; plain loop "
                        + ("folded to n(n-1)/2 by clang" if k["plain_folded_by_compiler"] else f"{k['plain_seconds'] * 1e3:.1f} ms")))

    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
