// What the array_sum programs share besides their parallel construct: numpy's
// `np.mod(np.sum(np.arange(0, size)), 23)` (notebook 000, Act 2, "Módulos externos") as options,
// a memory check and a report. The kernels (the array, its fill, both sums) are
// paracon/kernels/array_sum.hpp.
#pragma once

#include <cstdint>
#include <vector>

#include "paracon/kernels/array_sum.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::array_sum {

enum class Variant { materialized, lazy, both };

struct Options {
  std::uint64_t n = 999; // the notebook's cold size
  Variant variant = Variant::both;
};

void add_options(Cli& cli, Options& options);
bool runs(const Options& options, Variant variant);
// Bytes the materialized array of `count` values takes (0 when that variant is not run).
std::uint64_t bytes_needed(const Options& options, std::uint64_t count);
// What to say when the materialized array does not fit (for the memory refusals).
inline const char* memory_advice = "try a smaller SIZE, or --variant lazy, which needs no array";
// Under MPI: the ranks of one node share its memory, so more ranks on it need as much in all.
inline const char* node_memory_advice =
    "try a smaller SIZE, --variant lazy (which needs no array), or ranks spread over more nodes";

// One variant's run, for the report.
struct Result {
  Variant variant;
  u128 sum = 0;
  double touch_seconds = 0; // materialized only: the pages mapped by the OS, untimed (see first_touch)
  double fill_seconds = 0;  // materialized only: np.arange's part
  double sum_seconds = 0;
};

// The report: per variant the sum, sum % 23, its time (the first touch apart) and bandwidth; numpy's int64 answer; peak
// memory per process; verdict: every sum equals n(n-1)/2.
void report(Report& report, const Options& options, int workers, const std::vector<Result>& results,
            const std::vector<std::uint64_t>& peak_memory);

} // namespace paracon::experiments::array_sum
