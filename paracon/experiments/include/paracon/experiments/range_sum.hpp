// What the range-sum programs share besides the kernel: their options, the record of one
// worker's part, the checks against the closed form, and the report. Each program keeps
// only its parallel construct: who sums which part, and how the parts meet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::range_sum {

// replicate: every worker sums the whole range, as the notebook's three workers do.
// split: the range is divided and the partial sums reduced. serial: one worker, no model.
enum class Mode { replicate, split, serial };

struct Options {
  std::uint64_t n = 999; // the notebook's cold size
  Mode mode = Mode::replicate;
};

// SIZE (and --mode, for the parallel programs) on the command line.
void add_options(Cli& cli, Options& options, bool with_mode = true);

const char* mode_name(Mode mode);

// One worker's record: trivially copyable, so MPI can gather it as bytes.
struct Worker {
  Range part;
  u128 sum = 0;
  double seconds = 0;
};

// The notebook's line for a worker ("Bar 22"); in split mode also the part it summed.
std::string worker_line(Mode mode, const std::string& name, const Worker& worker);

// Prints every worker's line in worker order, for people (not with --json): what programs do
// whose workers cannot print in turn themselves (MPI ranks, gathered on rank 0).
void print_lines(const Report& report, const Options& options, const std::vector<Worker>& workers,
                 const std::string& name_prefix);

// Checks every worker against the closed form, that split parts tile [0, n) exactly, and the
// total. Returns why it fails, or an empty string.
std::string check(const Options& options, const std::vector<Worker>& workers, u128 total);

// Fills the report: n, sum, sum mod 23, the closed form, what numpy's int64 would print,
// workers, seconds, and per-worker details for JSON. `name_prefix` names workers past the
// notebook's three ("Thread", "Process").
void report(Report& report, const Options& options, const std::vector<Worker>& workers, const std::string& name_prefix,
            u128 total, double seconds);

} // namespace paracon::experiments::range_sum
