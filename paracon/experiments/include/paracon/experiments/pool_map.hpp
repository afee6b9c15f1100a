// What the pool_map programs share besides their parallel construct: notebook 000's
// `Y = Pool(cpu_count()).map(f, X)` over the squares of random numbers (the numbers and the
// checks: paracon/kernels/squares.hpp), as a loop or as Eigen's `X.square()`, and the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/kernels/squares.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::pool_map {

// The largest --max whose squares fit in 64 bits.
constexpr std::uint64_t max_value = std::uint64_t{1} << 32;

struct Options : squares::Inputs {
  std::vector<std::string> variants{"loop", "eigen"}; // loop: a parallel loop; eigen: Y = X.square()
};

// --seed, --count (at most 1e8), --max (at most 2^32) and --variant loop|eigen|both.
void add_options(Cli& cli, Options& options);

// Bytes the lists take for `count` items: X, and a Y per variant run.
std::uint64_t bytes_needed(const Options& options, std::uint64_t count);

// One run: Y = pool.map(f, X) by a parallel loop, or Y = np.power(X, 2) with Eigen.
struct Mapped {
  std::string variant; // "loop" or "eigen"
  std::vector<std::uint64_t> y;
  double seconds = 0;
};

// The notebook's lines, in input order, when the list is short enough to read (<= 20 items).
void print_lines(const Report& report, const Options& options, const std::vector<std::uint64_t>& y);

// The report: per variant the fingerprint of the results in input order, the time and items
// per second; verdict: every square right and in input order (against inputs regenerated).
void report(Report& report, const Options& options, int workers, const std::vector<Mapped>& runs);

} // namespace paracon::experiments::pool_map
