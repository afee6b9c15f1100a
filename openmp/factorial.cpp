// factorial (OpenMP): the "loop that cannot be parallelised" is a reduction after all.
//
// Mirrors notebook 001, "Nem todos os loops podem ser paralelos": `for x in minha_lista:
// fatorial *= x`. The notebook says each step depends on the one before, so the loop cannot
// run in parallel.
//
// Teaches the point the notebook missed: multiplication is associative (and commutative), so a
// product is a reduction, like a sum. Each thread multiplies its block of 1..N as a balanced
// product tree, and a user-defined reduction (`declare reduction`) over GMP integers combines
// the threads' products. Then a recurrence that really cannot be split, x_{k+1} = f(x_k): the
// naive `parallel for` with firstprivate/lastprivate makes each thread start from x_0, and the
// program shows the wrong answer it must give.
//
// Usage: OMP_NUM_THREADS=2 factorial [N] [--steps K] [--loop] [--json] [--help]

#include <omp.h>

#include "paracon/experiments/factorial.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace fe = paracon::experiments::factorial;
namespace fac = paracon::factorial;

// The reduction OpenMP does not know: multiply GMP integers, starting from 1.
#pragma omp declare reduction(product:mpz_class : omp_out *= omp_in) initializer(omp_priv = mpz_class(1))

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Options options;
  paracon::Cli cli("factorial", "N! as a parallel product reduction with GMP, over OpenMP threads",
                   paracon::Threads::openmp);
  fe::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;
  const int threads = omp_get_max_threads();
  if (auto why =
          paracon::memory_refusal(std::to_string(options.n) + "! needs about", fe::bytes_needed(options, threads, true),
                                  paracon::available_memory(), fe::memory_advice)) {
    paracon::print_error("factorial", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("factorial", "openmp", cli.json());
  report.print_title(std::to_string(options.n) + "!, " + std::to_string(threads) + " threads");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: every thread's block as a product tree, then the reduction
  //////////////////////////////////////////////////////////////////////////////////////////
  mpz_class value = 1;
  paracon::Stopwatch clock;
#pragma omp parallel num_threads(threads) reduction(product : value)
  {
    const auto part = paracon::block({1, options.n + 1}, omp_get_num_threads(), omp_get_thread_num());
    value *= fac::tree_product(part.begin, part.end);
  }
  const double seconds = clock.seconds();

  // For comparison, untimed above: the notebook's loop on one thread.
  double loop_seconds = -1;
  bool loop_agrees = true;
  if (options.loop) {
    paracon::Stopwatch loop_clock;
    loop_agrees = fac::loop_product(1, options.n + 1) == value;
    loop_seconds = loop_clock.seconds();
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // A recurrence that cannot be split: in order, then the naive parallel loop
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Recurrence recurrence;
  recurrence.serial = fac::iterate(2, options.steps);
  std::uint64_t x = 2;
  int team = 1;
  // The mistake: each thread gets its own x, starting from x_0 (firstprivate), and the value
  // after the last iteration comes from the thread that ran it (lastprivate).
#pragma omp parallel for schedule(static) num_threads(threads) firstprivate(x) lastprivate(x)
  for (std::uint64_t k = 0; k < options.steps; ++k) {
    if (k == 0) team = omp_get_num_threads();
    x = fac::step(x);
  }
  recurrence.naive = x;
  recurrence.last_block = paracon::block({0, options.steps}, team, team - 1).size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::report(report, options, value, threads, seconds, loop_seconds, recurrence);
  if (!loop_agrees) report.verdict(false, "the notebook's loop and the reduction differ");
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
