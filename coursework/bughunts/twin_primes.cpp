// twin_primes (OpenMP), a bug hunt: the twin primes below N (p and p + 2 both prime), counted by
// a team of threads, each testing candidates by trial division.
//
// Its author ran it at every size from 1e3 to 1e6 on their two cores, with two threads, and
// every count was right. A colleague running more threads than cores sometimes gets a few pairs
// fewer: 8 166 below 10^6, where there are 8 169. Find the bug, and fix it so that the count is
// always right and the threads still share the work: a program on one thread is not a fix.
//
// Usage: OMP_NUM_THREADS=4 twin_primes [N] [--json]
// Check: scripts/exercise check openmp-twin_primes (correct, parallel, race-free: Archer sees what
// a value check misses).

#include <cstdint>
#include <vector>

#include <omp.h>

#include "paracon/kernels/factorial.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace {

using paracon::factorial::is_prime; // trial division, in the shared library

// The same count by a sieve of Eratosthenes, on one thread: the program's own check.
std::uint64_t sieve_count(std::uint64_t n) {
  std::vector<bool> composite(n, false);
  for (std::uint64_t p = 2; p * p < n; ++p)
    if (!composite[p])
      for (std::uint64_t m = p * p; m < n; m += p) composite[m] = true;
  std::uint64_t count = 0;
  for (std::uint64_t p = 3; p + 2 < n; p += 2) count += !composite[p] && !composite[p + 2];
  return count;
}

} // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 1000000;
  paracon::Cli cli("twin_primes", "Twin primes below N (p and p + 2 both prime) by OpenMP threads",
                   paracon::Threads::openmp);
  cli.add_count("N", n, "Count the twin pairs (p, p + 2) with p + 2 < N", 5, 100000000);
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  paracon::Report report("twin_primes", "openmp", cli.json());
  report.print_title("below " + std::to_string(n) + ", " + std::to_string(threads) + " threads");

  // Candidates p = 3, 5, 7, ... while p + 2 < n, that is p <= n - 3: (n - 4) / 2 of them (n >= 5).
  const std::int64_t candidates = static_cast<std::int64_t>((n - 4) / 2);
  std::uint64_t count = 0;
  paracon::Stopwatch clock;
  //@ bug
  //@ start: #pragma omp parallel for schedule(dynamic, 4096) num_threads(threads)
#pragma omp parallel for schedule(dynamic, 4096) num_threads(threads) reduction(+ : count)
  //@ end
  for (std::int64_t k = 0; k < candidates; ++k) {
    const std::uint64_t p = 3 + 2 * static_cast<std::uint64_t>(k);
    if (is_prime(p) && is_prime(p + 2)) ++count;
  }
  const double seconds = clock.seconds();

  const std::uint64_t expected = sieve_count(n);
  report.add("n", n).add("workers", threads).add("count", count, "twin pairs");
  report.add("sieve_count", expected, "by a sieve, on one thread");
  report.add("seconds", seconds, "seconds", paracon::format_seconds(seconds));
  report.verdict(count == expected, std::to_string(count) + " twin pairs, the sieve says " + std::to_string(expected));
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
