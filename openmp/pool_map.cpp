// pool_map (OpenMP): `Pool(cpu_count()).map(f, X)` as a parallel loop, and `np.power(X, 2)` as
// an Eigen expression.
//
// Mirrors notebook 000, Act 3, "Pool simplificado em 3 passos": import, instantiate
// Pool(processes=cpu_count()), then Y = p.map(f, X), and the results print in input order.
//
// Teaches the data-parallel loop. `#pragma omp parallel for schedule(static)` gives each
// thread one contiguous block of X; every y[i] is written by exactly one thread into its own
// slot, so Y is in input order with no locking and no gathering (unlike as_completed). The
// Eigen variant writes the same thing as an array expression, Y = X.square(), each thread
// evaluating it on its block. Squares of values below 2^32 fit in 64 bits, so --max stops there.
//
// Usage: OMP_NUM_THREADS=2 pool_map [--seed S] [--count N] [--max M] [--variant loop|eigen|both]
//        [--json]   (N up to 1e8 for timing; the memory is checked first)

#include <vector>

#include <Eigen/Core>
#include <omp.h>

#include "paracon/experiments/pool_map.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace pm = paracon::experiments::pool_map;
namespace sq = paracon::squares;
using Vector = Eigen::Array<std::uint64_t, Eigen::Dynamic, 1>;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters; refuse lists that cannot fit before allocating them
  //////////////////////////////////////////////////////////////////////////////////////////
  pm::Options options;
  paracon::Cli cli("pool_map", "Pool(cpu_count()).map(f, X) as an OpenMP parallel for, and np.power(X, 2) with Eigen",
                   paracon::Threads::openmp);
  pm::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;
  if (auto why = paracon::memory_refusal("the lists need", pm::bytes_needed(options, options.count),
                                         paracon::available_memory(), "use a smaller --count")) {
    paracon::print_error("pool_map", *why);
    return paracon::exit_usage;
  }

  const int threads = omp_get_max_threads();
  const std::uint64_t n = options.count;
  paracon::Report report("pool_map", "openmp", cli.json());
  report.print_title(std::to_string(n) + " numbers below " + std::to_string(options.max) + ", " +
                     std::to_string(threads) + " threads");
  Vector x(n); // X, made before the clock by one thread: the map is the lesson
  for (std::uint64_t i = 0; i < n; ++i) x[i] = sq::item(options, i);

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: Y = pool.map(f, X), then Y = np.power(X, 2)
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<pm::Mapped> runs;
  for (const std::string& name : options.variants) {
    pm::Mapped run{name, std::vector<std::uint64_t>(n), 0};
    std::uint64_t* y = run.y.data();
    paracon::Stopwatch clock;
    if (name == "loop") {
      //@ task 1: Y = pool.map(f, X): share the loop among the threads in contiguous blocks.
      //@ Each y[i] depends on x[i] only, so any split gives the same Y, in input order.
      //@ hint: #pragma omp parallel for schedule(static) num_threads(threads)
#pragma omp parallel for schedule(static) num_threads(threads)
      //@ end
      for (std::uint64_t i = 0; i < n; ++i) y[i] = x[i] * x[i];
    } else {
      Eigen::Map<Vector> out(y, static_cast<Eigen::Index>(n));
      //@ task 2: np.power(X, 2) with Eigen: let each thread of a team evaluate the expression on
      //@ its own segment of X and Y.
      //@ hint: a parallel region; paracon::block gives each thread its part.
#pragma omp parallel num_threads(threads)
      //@ end
      {
        const auto part = paracon::block({0, n}, omp_get_num_threads(), omp_get_thread_num());
        const auto begin = static_cast<Eigen::Index>(part.begin), size = static_cast<Eigen::Index>(part.size());
        out.segment(begin, size) = x.segment(begin, size).square();
      }
    }
    run.seconds = clock.seconds();
    runs.push_back(std::move(run));
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: for x, y in zip(X, Y): print(x, 'squared is', y)
  //////////////////////////////////////////////////////////////////////////////////////////
  pm::print_lines(report, options, runs.front().y);
  pm::report(report, options, threads, runs);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
