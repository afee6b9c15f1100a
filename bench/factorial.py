#!/usr/bin/env python3
"""factorial benchmark: N! by the OpenMP and MPI programs against GMP's serial mpz_fac_ui,
side by side in one run, as ratios (GMP's time is measured by each program, in the same
process, right after its own: the check it validates against).

  1. 2 workers (threads, then ranks) against mpz_fac_ui at N = 5e6 (target >= 1.3x), and at 1e6
  2. 1 worker against mpz_fac_ui (target >= 1/1.2 = 0.83x: within 1.2x of it)
  3. the serial part Amdahl's law names: the last multiplication, which no more workers share
     than two, as a share of the wall time

Uses build/. Every configuration runs once untimed, then the repetitions are interleaved;
medians are kept, with their spread, (max - min) / median.
Run:  bench/factorial.py [--n N[,N...]] [--repetitions R] [--json FILE]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import runner  # noqa: E402  where the build is, how to launch MPI


def main():
    parser = runner.bench_parser(__doc__)
    parser.add_argument("--n", type=runner.whole_numbers(1, 2**32), default=[1_000_000, 5_000_000],
                        help="the sizes, comma-separated (default 1e6,5e6)")
    args = parser.parse_args()
    sizes = args.n

    print(f"== N = {', '.join(map(str, sizes))}: OpenMP and MPI on 1 and 2 workers, each against mpz_fac_ui; "
          f"1 untimed + {args.repetitions} interleaved repetitions")
    runs = {}
    for n in sizes:
        for model in ("openmp", "mpi"):
            for w in (1, 2):
                runs[n, model, w] = (lambda n=n, model=model, w=w:
                                     runner.validated(model, "factorial", [str(n)], ranks=w, threads=w))
    samples = runner.interleave(runs, args.repetitions)

    figures = []
    for n in sizes:
        for model in ("openmp", "mpi"):
            for w in (2, 1):
                s = samples[n, model, w]
                ratio = runner.median(s, lambda r: r["gmp_seconds"] / r["seconds"])
                target = 1.3 if w == 2 else 1 / 1.2
                serial = runner.median(s, lambda r: r["last_seconds"] / r["seconds"])
                figures.append((f"N={n:.0e} {model} {w} worker(s) vs mpz_fac_ui".replace("e+0", "e"), ratio,
                                f">= {target:.2f}", ratio >= target if n == 5_000_000 else None,
                                f"{runner.median(s):.3f} s against {runner.median(s, 'gmp_seconds'):.3f} s; "
                                f"last multiplication {serial:.0%} of the time; spread {runner.spread(s):.0%}"))
    runner.print_figures(figures, args.json)


if __name__ == "__main__":
    runner.script(main)
