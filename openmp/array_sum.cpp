// array_sum (OpenMP): numpy's `np.mod(np.sum(np.arange(0, size)), 23)` with Eigen, materialized
// and lazy, the threads each summing their slice.
//
// Mirrors notebook 000, Act 2, "Módulos externos": numpy does its work in compiled C, so its
// threads can leave the GIL, "WARNING: A LOT OF RAM": np.arange(0, 3e8) is a 2.4 GB array.
//
// Teaches what a library array costs and what an expression saves. --variant materialized
// builds the array as numpy does (8 bytes a value, checked against the free memory first): each
// thread first touches its slice (so its pages are mapped, and placed, by the thread that uses
// them; timed apart, as STREAM does), writes it, then sums it, and the partial sums meet in a
// `reduction`. The time goes to memory: the report gives GB/s. --variant lazy sums the Eigen expression of the same values without ever
// storing them: O(1) memory, and several times faster, since adds are cheaper than loads. Both
// are exact beyond 2^32 values, where numpy's int64 sum wraps and its answer goes wrong.
//
// Usage: OMP_NUM_THREADS=2 array_sum [SIZE] [--variant materialized|lazy|both] [--json] [--help]

#include <optional>
#include <vector>

#include <omp.h>

#include "paracon/experiments/array_sum.hpp"
#include "paracon/kernels/array_sum.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace as = paracon::experiments::array_sum;
namespace arrays = paracon::array_sum; // the kernels: the array, its fill, the sums

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters; refuse an array that cannot fit before allocating it
  //////////////////////////////////////////////////////////////////////////////////////////
  as::Options options;
  paracon::Cli cli("array_sum", "np.mod(np.sum(np.arange(0, SIZE)), 23) with Eigen, by OpenMP threads",
                   paracon::Threads::openmp);
  as::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;
  if (auto why = paracon::memory_refusal("the materialized array needs", as::bytes_needed(options, options.n),
                                         paracon::available_memory(), as::memory_advice)) {
    paracon::print_error("array_sum", *why);
    return paracon::exit_usage;
  }

  const int threads = omp_get_max_threads();
  const std::uint64_t n = options.n;
  paracon::Report report("array_sum", "openmp", cli.json());
  report.print_title("n = " + std::to_string(n) + ", " + std::to_string(threads) + " threads");
  std::vector<as::Result> results;

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: materialized, np.arange then np.sum, each thread on its slice
  //////////////////////////////////////////////////////////////////////////////////////////
  if (as::runs(options, as::Variant::materialized)) {
    as::Result r{as::Variant::materialized};
    // First touch, timed apart: each thread has the OS map its slice's pages, so they sit on
    // its NUMA node. The OS's cost, not the sum's, and on a fresh machine it can take seconds.
    paracon::Stopwatch touching;
    std::optional<arrays::Buffer> array(std::in_place, n);
    //@ task 1: Let every thread of a team first touch its own slice of the array, so the OS maps
    //@ each page where the thread that writes and reads it runs.
    //@ hint: a parallel region of `threads` threads around the block; each computes its part.
#pragma omp parallel num_threads(threads)
    //@ end
    {
      const auto part = paracon::block({0, n}, omp_get_num_threads(), omp_get_thread_num());
      arrays::first_touch(array->slice(part.begin, part.end));
    }
    r.touch_seconds = touching.seconds();
    paracon::Stopwatch clock;
    //@ task 2: The same team writes np.arange's values, each thread into its own slice.
#pragma omp parallel num_threads(threads)
    //@ end
    {
      const auto part = paracon::block({0, n}, omp_get_num_threads(), omp_get_thread_num());
      arrays::fill(array->slice(part.begin, part.end), part.begin); // a[i] = i, this thread's slice
    }
    r.fill_seconds = clock.seconds();
    paracon::Stopwatch summing;
    paracon::u128 total = 0;
    //@ task 3: Each thread sums its slice; the partial sums meet in one total without a race.
    //@ hint: a reduction over the 128-bit total: reduction(+ : total).
#pragma omp parallel num_threads(threads) reduction(+ : total)
    //@ end
    {
      const auto part = paracon::block({0, n}, omp_get_num_threads(), omp_get_thread_num());
      total += arrays::sum_materialized(array->slice(part.begin, part.end), part.begin);
    }
    r.sum_seconds = summing.seconds();
    r.sum = total;
    results.push_back(r);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: lazy, the same values as an expression, never stored
  //////////////////////////////////////////////////////////////////////////////////////////
  if (as::runs(options, as::Variant::lazy)) {
    as::Result r{as::Variant::lazy};
    paracon::Stopwatch clock;
    paracon::u128 total = 0;
    //@ task 4: The lazy sum the same way: each thread its part of the expression, then the reduction.
#pragma omp parallel num_threads(threads) reduction(+ : total)
    //@ end
    {
      const auto part = paracon::block({0, n}, omp_get_num_threads(), omp_get_thread_num());
      total += arrays::sum_lazy(part.begin, part.end);
    }
    r.sum_seconds = clock.seconds();
    r.sum = total;
    results.push_back(r);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  as::report(report, options, threads, results, {paracon::peak_memory()});
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
