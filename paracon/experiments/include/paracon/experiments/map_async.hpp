// The asynchronous map of notebook 001 ("Códigos Assíncronos"): `result = pool.map_async(...)`,
// then work that does not depend on the result, then result.ready(), result.wait() and
// result.get(). What the programs share: options, the unrelated work, and the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/kernels/exact.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::map_async {

struct Options {
  std::vector<std::uint64_t> items{10, 10, 10, 10, 10, 10}; // the notebook's sleeps
  double scale = 0.01;                                      // seconds per item unit
  std::uint64_t unit = 1000000;                             // values summed per unit of unrelated work
};

// --items, --scale and --unit on the command line.
void add_options(Cli& cli, Options& options);

// One unit of the work that does not depend on the map: the sum of `unit` consecutive integers
// (unit number k sums [k * unit, (k + 1) * unit)).
u128 unrelated_work(const Options& options, std::uint64_t k);

// One item of the map: sleep x * scale seconds, return x.
std::uint64_t item(const Options& options, std::uint64_t x);

// What the launching worker saw while the map ran.
struct Waiting {
  double launched_to_ready = 0; // from map_async to the first ready() that said yes
  double in_wait = 0;           // blocked in wait() after the unrelated work
  std::uint64_t units = 0;      // units of unrelated work done meanwhile
  std::uint64_t not_ready = 0;  // ready() calls that said no
  double unit_seconds = 0;      // time of those units, all together
  u128 unrelated = 0;           // their sum, checked against the closed form
};

// Fills the report: the results (in input order, as get() returns them), the waiting, and the
// overlap: the share of the wait filled with unrelated work.
void report(Report& report, const Options& options, int workers, const std::vector<std::uint64_t>& results,
            const Waiting& waiting, double seconds);

} // namespace paracon::experiments::map_async
