// big_power (OpenMP): the notebook's Pool over x**10000000, as a dynamic loop over the bases.
//
// Mirrors notebook 001, "Utilizando multiprocess": `list(map(lambda x: x**10000000, [1..6]))`
// took 15.6 s in series, `pool.map` 6.2 s. Python's big integers become GMP's mpz_ui_pow_ui.
//
// Teaches load balance. The six powers cost very different amounts: 1^e is nothing, 2^e and 4^e
// are shifts for GMP, 6^e is the largest. With `schedule(static)` one thread may get all the
// expensive ones; `schedule(monotonic : dynamic, 1)` over the bases sorted largest first (the
// longest-processing-time rule) hands each free thread the largest power left, so the wall
// time approaches max(longest power, total / threads), which the report shows.
// Nothing prints a 26-million-bit number: the report gives bits, decimal digits, the first and
// last 20 digits and the residue mod 2^61-1, each checked by a method that never builds it.
//
// Usage: OMP_NUM_THREADS=2 big_power [--exponent E] [--bases LIST] [--json] [--help]

#include <vector>

#include <omp.h>

#include "paracon/experiments/big_power.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace bp = paracon::experiments::big_power;
using paracon::big_power::Facts;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters, and that the powers fit in memory, before any work
  //////////////////////////////////////////////////////////////////////////////////////////
  bp::Options options;
  paracon::Cli cli("big_power", "base^exponent for many bases with GMP, over OpenMP threads (OMP_NUM_THREADS)",
                   paracon::Threads::openmp);
  bp::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  const std::size_t count = options.bases.size();
  const std::vector<std::size_t> order = paracon::largest_first(bp::costs(options)); // LPT order
  if (auto why = paracon::memory_refusal("these powers need", bp::bytes_needed(options, order, threads),
                                         paracon::available_memory(), bp::memory_advice)) {
    paracon::print_error("big_power", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("big_power", "openmp", cli.json());
  report.print_title(std::to_string(count) + " powers with exponent " + std::to_string(options.exponent) + ", " +
                     std::to_string(threads) + " threads");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: each free thread takes the largest power left
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<mpz_class> powers(count);
  std::vector<Facts> facts(count);
  for (std::size_t i = 0; i < count; ++i) facts[i].base = options.bases[i], facts[i].exponent = options.exponent;
  paracon::Stopwatch clock;
  //@ task 1: Share the powers among the threads, one power at a time to whichever thread is
  //@ free, in the order given (largest first): the powers differ in cost, so fixed blocks of
  //@ the list would leave one thread with the dear ones.
  //@ hint: a parallel for with schedule(monotonic : dynamic, 1): monotonic keeps the given order.
#pragma omp parallel for schedule(monotonic : dynamic, 1) num_threads(threads)
  //@ end
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = order[k];
    paracon::Stopwatch mine;
    powers[i] = paracon::big_power::power(options.bases[i], options.exponent);
    facts[i].power_seconds = mine.seconds();
    facts[i].worker = omp_get_thread_num();
  }
  const double seconds = clock.seconds();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: read each power's facts (in parallel too, outside the timing), free it
  //////////////////////////////////////////////////////////////////////////////////////////
  //@ task 2: Read the powers' facts (digits, leading and trailing digits) in parallel too, the
  //@ same way: it takes as long as computing them.
#pragma omp parallel for schedule(monotonic : dynamic, 1) num_threads(threads)
  //@ end
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = order[k];
    paracon::big_power::read_facts(powers[i], facts[i]);
    powers[i] = 0;
  }
  bp::report(report, options, facts, threads, "thread", seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
