// The sleep experiment of notebook 001: `dormir(x)` sleeps x seconds for [1, 2, 3, 4]; 10 s in
// series, 4 s with a Pool. What the programs share: the work item, options, the schedules'
// predicted wall times, and the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::sleep_map {

// How items meet workers. static: contiguous blocks; dynamic: each free worker takes the next
// item; longest_first: the same, largest items first (for MPI: every rank applies that rule in
// advance, since sleeps cost exactly what they say).
enum class Schedule { static_blocks, dynamic, longest_first };
const char* schedule_name(Schedule s);

struct Options {
  std::vector<std::uint64_t> items{1, 2, 3, 4}; // the notebook's seconds
  double scale = 1.0;                           // seconds per item unit: 0.01 runs 100 times faster
  double tolerance = 0.25;                      // wall may exceed the prediction by this fraction
  std::vector<Schedule> schedules;              // filled by the --schedule option
};

// --items, --scale, --tolerance and --schedule (one of `allowed`, or "all": every allowed one).
void add_options(Cli& cli, Options& options, const std::vector<Schedule>& allowed);

// The notebook's dormir(x): prints "Dormindo por x segundos.", sleeps x * scale seconds, prints
// "Retornando x", returns x. `who` says which worker, after the notebook's words.
std::uint64_t dormir(std::uint64_t x, double scale, const std::string& who, bool print);

// Seconds each item sleeps.
std::vector<double> durations(const Options& options);
// The wall time a schedule must take on `workers` workers (sleeping needs no core, so
// oversubscribed workers still all sleep at once).
double predicted(Schedule schedule, const std::vector<double>& seconds, int workers);
// The best any schedule can do: the longest item when workers suffice, else the
// longest-processing-time schedule.
double best(const std::vector<double>& seconds, int workers);

// When and where one item slept: the worker's number and seconds since its schedule started.
struct Span {
  int worker = -1;
  double start = 0, end = 0;
};

// One schedule's sleeps as they happen: dormir(x) for item i on a worker, remembering when and
// where (for the schedule's picture, a Gantt chart). The clock starts at construction; workers
// may sleep distinct items at once.
class Sleeps {
public:
  Sleeps(const Options& options, std::string worker_word, bool print);
  std::uint64_t dormir(std::size_t i, int worker);
  double seconds() const { return clock_.seconds(); } // since construction
  const std::vector<Span>& spans() const { return spans_; }

private:
  const Options& options_;
  std::string word_;
  bool print_;
  Stopwatch clock_;
  std::vector<Span> spans_;
};

// One schedule's run: its wall time, the values the map returned, in input order, and, where
// they were recorded, each item's span.
struct Run {
  Schedule schedule;
  double seconds;
  std::vector<std::uint64_t> results;
  std::vector<Span> spans = {};
};

// Fills the report with every run against its prediction, the serial sum and the best
// schedule, and the verdict: results in input order, and each wall time between the
// prediction and the prediction plus the tolerance.
void report(Report& report, const Options& options, int workers, const std::vector<Run>& runs);

} // namespace paracon::experiments::sleep_map
