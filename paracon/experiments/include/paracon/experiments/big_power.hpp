// What the big_power programs share besides the kernel: options, the memory check made before
// any work, and the report with its schedule bounds. Each program keeps its parallel construct.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/kernels/big_power.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::big_power {

struct Options {
  std::uint64_t exponent = 10000000; // the notebook's x**10000000
  std::vector<std::uint64_t> bases{1, 2, 3, 4, 5, 6};
};

// --exponent and --bases on the command line.
void add_options(Cli& cli, Options& options);

// Relative costs of the powers, for schedules and bounds.
std::vector<double> costs(const Options& options);

// Bytes needed to hold the given powers at once, plus the temporaries of `concurrent` workers
// computing the largest of them (the power being built, then the power of ten that reads its
// leading digits).
std::uint64_t bytes_needed(const Options& options, const std::vector<std::size_t>& items, int concurrent);

// What to say when the powers do not fit (for the memory refusals).
inline const char* memory_advice = "use a smaller --exponent or fewer --bases";

// Fills the report: each base's facts (people see one line per base), the wall time against
// the serial sum of the powers' times and the best schedule possible on `workers` workers
// (max(longest, total / workers)), and the verdict of every check.
void report(Report& report, const Options& options, const std::vector<paracon::big_power::Facts>& facts, int workers,
            const std::string& worker_kind, double seconds);

} // namespace paracon::experiments::big_power
