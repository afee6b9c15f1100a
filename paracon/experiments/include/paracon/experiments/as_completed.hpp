// What the as_completed programs share besides their parallel construct: notebook 000's
// executor.submit and as_completed over the squares of ten random numbers (the numbers and the
// checks: paracon/kernels/squares.hpp), with uneven work, and the report.
#pragma once

#include <cstdint>
#include <vector>

#include "paracon/kernels/squares.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::as_completed {

struct Options : squares::Inputs {
  double delay = 0.1; // each item takes delay x value / max seconds: uneven work
};

// --seed, --count (at most 100 000), --max (up to 2^63: squares are 128-bit) and --delay.
void add_options(Cli& cli, Options& options);

// f(x) with uneven work: sleeps delay x value / max seconds, then returns x squared.
u128 square_after_delay(const Options& options, std::uint64_t x);

// One finished item, as as_completed hands it back.
struct Completed {
  std::uint64_t index = 0, x = 0;
  u128 y = 0;
};

// The report: the items in completion order, whether that was submission order, the
// fingerprint; verdict: every item exactly once, every square right.
void report(Report& report, const Options& options, int workers, const std::vector<Completed>& completed,
            double seconds);

} // namespace paracon::experiments::as_completed
