// What the factorial programs share besides the parallel construct: options, the memory
// check, and the report of the product and of the recurrence that cannot be split.
#pragma once

#include <cstdint>
#include <string>

#include "paracon/kernels/factorial.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::factorial {

struct Options {
  std::uint64_t n = 5;           // the notebook's [1, 2, 3, 4, 5]: 120
  std::uint64_t steps = 1000000; // steps of the recurrence x_{k+1} = f(x_k)
  bool loop = false;             // also time the notebook's one-factor-at-a-time loop
};

// N, --steps and --loop on the command line.
void add_options(Cli& cli, Options& options);

// Bytes a worker needs for its share of n! among `workers`, plus the whole of n! where the shares
// meet (`holds_result`): for the memory check made before any work.
std::uint64_t bytes_needed(const Options& options, int workers, bool holds_result);
// What to say when n! does not fit.
inline const char* memory_advice = "use a smaller N";

// The recurrence's three results: in order (the right answer), by the naive parallel loop,
// and what the naive loop must give: f applied to x_0 only as many times as the last worker
// had steps, since it started from x_0 instead of the value its predecessor had not yet made.
struct Recurrence {
  std::uint64_t serial = 0, naive = 0, last_block = 0;
};

// How long the product took: in all, and its last multiplication, the largest (Amdahl's serial
// part, shared by two workers); and the notebook's loop when --loop asked for it.
struct Timing {
  double seconds = 0, last_seconds = 0;
  double loop_seconds = -1; // < 0: not timed
  bool loop_agrees = true;  // the loop's product is the same number
};

// Fills the report: n!'s facts (and the number itself when short), the times against GMP's own
// mpz_fac_ui (timed here), the checks, and the recurrence. The verdict: n! equals GMP's and every
// fact its independent check, the loop agrees, the recurrence is right and the naive loop wrong as
// its mistake predicts.
void report(Report& report, const Options& options, const mpz_class& value, int workers, const Timing& timing,
            const Recurrence& recurrence);

} // namespace paracon::experiments::factorial
