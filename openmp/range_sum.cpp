// range_sum (OpenMP): the notebook's three threads, which here really run at the same time.
//
// Mirrors notebook 000, Act 2 "Threading": threads Bar, ba and dos each print their name and
// `sum(range(0, size)) % 23`, with size 999 cold and 300 000 000 hot.
//
// Teaches two things, one per --mode:
//   replicate (the notebook's): every thread sums the whole range. In Python the GIL lets one
//     thread run at a time, so three threads take three times as long as one. OpenMP threads
//     share no interpreter: up to the core count, the wall time stays flat as threads are added.
//   split: the threads divide the range and `reduction(+ : total)` adds their partial sums,
//     so the wall time drops as threads are added.
// Threads come from OMP_NUM_THREADS. Sums are exact up to SIZE = 2^63 (see serial/range_sum).
//
// Usage: OMP_NUM_THREADS=3 range_sum [SIZE] [--mode replicate|split] [--json] [--help]

#include <cstdio>
#include <vector>

#include <omp.h>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/kernels/range_sum.hpp"

namespace rs = paracon::experiments::range_sum;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::Options options;
  paracon::Cli cli("range_sum", "sum(range(0, SIZE)) % 23 by OpenMP threads (OMP_NUM_THREADS)",
                   paracon::Threads::openmp);
  rs::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  paracon::Report report("range_sum", "openmp", cli.json());
  report.print_title(std::string(rs::mode_name(options.mode)) + ", " + std::to_string(threads) +
                     " threads, n = " + std::to_string(options.n));

  //////////////////////////////////////////////////////////////////////////////////////////
  // Set up: start the thread team once, untimed, so the clock measures sums, not thread creation
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<rs::Worker> workers(threads);
#pragma omp parallel num_threads(threads)
  workers[omp_get_thread_num()].seconds = 0;

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  paracon::u128 total = 0;
  int team = threads; // the threads we really get: OpenMP may give fewer than asked
  paracon::Stopwatch clock;
  //@ task 1: Make the block below run on a team of `threads` threads at once, each with its own
  //@ `total`, the totals added together when the team ends: so that in split mode the blocks'
  //@ sums add up to the whole sum, and in replicate mode each thread sums the whole range.
  //@ hint: one directive before the block: a parallel region, with a reduction clause for total.
#pragma omp parallel num_threads(threads) reduction(+ : total)
  //@ end
  {
    const int me = omp_get_thread_num();
    if (me == 0) team = omp_get_num_threads();
    paracon::Stopwatch mine;
    rs::Worker& w = workers[me];
    // replicate: the whole range, as every notebook thread does; split: this thread's block.
    w.part = options.mode == rs::Mode::replicate ? paracon::Range{0, options.n}
                                                 : paracon::block({0, options.n}, omp_get_num_threads(), me);
    w.sum = paracon::range_sum(w.part.begin, w.part.end);
    w.seconds = mine.seconds();
    // replicate: the total is any one thread's sum (thread 0's); split: the reduction adds all.
    if (options.mode == rs::Mode::split || me == 0) total += w.sum;

    // Like the notebook's print(): each thread prints as it finishes, in whatever order the
    // threads finish. stdout is shared, so one thread at a time.
    if (!report.json()) {
#pragma omp critical(stdout)
      std::printf("%s\n", rs::worker_line(options.mode, paracon::worker_name(me, "Thread"), w).c_str());
    }
  }
  const double seconds = clock.seconds();
  workers.resize(team);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::report(report, options, workers, "Thread", total, seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
