// What the refcount programs share: the options, one variant's measurement, and the report.
//
// Notebook 000, Part 0: CPython keeps a reference count in every object, and "the GIL was made
// to solve the problem of counting references": many threads adding to one shared counter lose
// updates unless something makes each read-add-write indivisible. The programs count the same
// increments under each way of making them so, and time them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::refcount {

struct Options {
  std::uint64_t increments = 1000000; // per worker
  std::vector<std::string> variants;  // which to run, in order
};

// --increments and --variant (all, or one of `names`); `names` is the program's list, in order.
void add_options(Cli& cli, Options& options, std::uint64_t default_increments, const std::vector<std::string>& names);

// One variant's run: the count it should reach, the count it reached, its time.
struct Count {
  std::string variant;
  bool exact_required = true; // false for the unsynchronised race: losing updates is its lesson
  std::uint64_t expected = 0, observed = 0;
  double seconds = 0;
  std::uint64_t rounds = 1; // times the region ran (the race runs in rounds, see openmp/refcount.cpp)
};

// The report: per variant the expected and observed counts, the updates lost and the cost of one
// increment in ns (workers increment at once, so this is wall time per increment of one worker,
// over every round).
// Verdict: every variant that must be exact is, the race never counts more than it was given,
// and `other_failure` (a program's own further check) is empty.
void report(Report& report, const Options& options, int workers, const std::vector<Count>& counts,
            const std::string& other_failure = {});

} // namespace paracon::experiments::refcount
