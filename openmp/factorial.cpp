// factorial (OpenMP): the "loop that cannot be parallelised" is a reduction after all.
//
// Mirrors notebook 001, "Nem todos os loops podem ser paralelos": `for x in minha_lista:
// fatorial *= x`. The notebook says each step depends on the one before, so the loop cannot
// run in parallel.
//
// Teaches the point the notebook missed: multiplication is associative (and commutative), so a
// product is a reduction, like a sum. N! is the product of its prime factors (Legendre's formula
// gives each prime's exponent); the threads take the primes in turn, each multiplies the powers
// of its share, and a user-defined reduction (`declare reduction`) over GMP integers multiplies
// the shares. What is left is the last multiplication, two numbers of half N!'s size: the serial
// part that Amdahl's law names, half the run's time on two threads. Cut one factor in two and it
// is two multiplications, which two threads do at once (`parallel sections`). Then a recurrence
// that really cannot be split, x_{k+1} = f(x_k): the naive `parallel for` with
// firstprivate/lastprivate makes each thread start from x_0, and the program shows the wrong
// answer it must give.
//
// Usage: OMP_NUM_THREADS=2 factorial [N] [--steps K] [--loop] [--json] [--help]

#include <algorithm>

#include <omp.h>

#include "paracon/experiments/factorial.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace fe = paracon::experiments::factorial;
namespace fac = paracon::factorial;

//@ task 1: Declare the reduction OpenMP does not know: `product`, over mpz_class, which
//@ multiplies two partial products and starts each thread's own from 1.
//@ hint: #pragma omp declare reduction(name : type : combiner) initializer(omp_priv = ...), in
//@ which omp_out and omp_in are the two partial results.
// The reduction OpenMP does not know: multiply GMP integers, starting from 1.
#pragma omp declare reduction(product:mpz_class : omp_out *= omp_in) initializer(omp_priv = mpz_class(1))
//@ end

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
  // The timed region: the primes and their exponents, every thread's share of their powers,
  // the reduction, and its last multiplication shared by two threads
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Timing timing;
  paracon::Stopwatch clock;
  const fac::PrimeExponents legendre = fac::prime_exponents(options.n);
  // Each thread multiplies the powers of its share of the primes, and the reduction multiplies
  // the shares: the even-numbered threads' into `left`, the odd-numbered ones' into `right`.
  mpz_class left = 1, right = 1;
  //@ task 2: Let each thread of a team multiply the powers of its share of the primes
  //@ (fac::share_product(legendre, me, team)), the even-numbered threads' products reduced into
  //@ `left`, the odd-numbered ones' into `right`: a product is a reduction, like a sum.
  //@ hint: a parallel region with reduction(product : left, right).
  //@ start: left = fac::share_product(legendre, 0, 1); // for now one thread multiplies every prime
#pragma omp parallel num_threads(threads) reduction(product : left, right)
  {
    const int me = omp_get_thread_num();
    (me % 2 == 0 ? left : right) *= fac::share_product(legendre, me, omp_get_num_threads());
  }
  //@ end
  // left x right, cut in two: left x right's high half and left x its low half, at once.
  paracon::Stopwatch last;
  const fac::Halves halves = fac::halve(right);
  mpz_class high, low;
  //@ task 3: The last multiplication, left x right, is the serial part Amdahl's law names. With
  //@ right cut in two halves it is two multiplications: let two threads do them at once.
  //@ hint: parallel sections, one section for each product.
  //@ start: high = left * halves.high;
  //@ start: low = left * halves.low;
#pragma omp parallel sections num_threads(std::min(threads, 2))
  {
#pragma omp section
    high = left * halves.high;
#pragma omp section
    low = left * halves.low;
  }
  //@ end
  mpz_class value = fac::rejoin(high, low, halves.shift);
  value <<= legendre.twos; // and N!'s factors 2: a shift
  timing.last_seconds = last.seconds();
  timing.seconds = clock.seconds();

  // For comparison, untimed above: the notebook's loop on one thread.
  if (options.loop) {
    paracon::Stopwatch loop_clock;
    timing.loop_agrees = fac::loop_product(1, options.n + 1) == value;
    timing.loop_seconds = loop_clock.seconds();
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
  fe::report(report, options, value, threads, timing, recurrence);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
