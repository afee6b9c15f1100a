// What the gather programs share: notebook 000's Act 1 cell
//
//     async def a(): print("ba")              async def start():
//     def b(): print("ca")  (a coroutine)         print('a'); await asyncio.gather(a(), b())
//                                                 print('xi'); return '!'
//     print(*await asyncio.gather(start()))   ->  a  ba  ca  xi  !
//
// as lines to print and check, with the "await" made real: each coroutine waits --delay seconds
// (a network reply, say) before it has its value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::gather {

// The notebook's output, in its order.
const std::vector<std::string>& notebook_lines();
// What start() returns, and the outer gather prints last.
inline const std::string start_value = "!";

struct Options {
  double delay = 0.1; // seconds each of a() and b() waits before it has its value
};
void add_options(Cli& cli, Options& options);

// a() and b(): wait, then return what the notebook's coroutine prints.
std::string coroutine_a(const Options& options);
std::string coroutine_b(const Options& options);

// Why `lines` are not the notebook's (empty when they are).
std::string check_lines(const std::vector<std::string>& lines);

// One OpenMP run of start(): how it awaited a() and b(), what it printed, how long it took, and
// how long it must take (the waits overlap when two threads take them and nothing orders them).
struct TaskRun {
  std::string mode; // taskwait, taskgroup or depend
  std::vector<std::string> lines;
  double seconds = 0, predicted = 0;
};
double predicted_seconds(const Options& options, const std::string& mode, int threads);

// The OpenMP report: each mode's time against its prediction; verdict: the notebook's lines in
// every mode, and every time between 0.95 of its prediction and the prediction + `tolerance`.
void report_tasks(Report& report, const Options& options, int threads, const std::vector<TaskRun>& runs,
                  double tolerance);

// What MPI's rank 0 saw: the futures (a() and b() on `owners` distinct ranks), the unrelated work
// it did while they were pending, and the large message without and with MPI calls meanwhile.
struct RequestRun {
  std::vector<std::string> lines;
  double seconds = 0;
  int owners = 2;                     // ranks that ran a() and b(): 1 when one rank ran both
  std::uint64_t units = 0, polls = 0; // units of unrelated work, MPI_Testall calls
  bool units_right = true;            // every unit summed right
  std::uint64_t payload = 0;          // bytes of the large message
  bool payload_right = true;          // it arrived intact
  double wait_without_progress = 0, wait_with_progress = 0;
};

// The MPI report; verdict: the notebook's lines, the unrelated work right, the message intact.
void report_requests(Report& report, const Options& options, int ranks, const RequestRun& run);

} // namespace paracon::experiments::gather
