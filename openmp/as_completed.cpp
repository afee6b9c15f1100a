// as_completed (OpenMP): ThreadPoolExecutor's submit() and as_completed() as OpenMP tasks.
//
// Mirrors notebook 000, Act 2, "Dicas práticas": three workers square ten random integers below
// 20000 and `for future in as_completed(future_set)` prints "x squared is y" as each finishes.
//
// Teaches tasks. One thread submits a task per number (`omp task`), the whole team runs them,
// and each task, as it finishes, reports its line inside `omp critical`: the completion order,
// which as_completed gives you, not the submission order. Each number takes time in proportion
// to its size (--delay, 0.1 s for the largest by default; NumPy's squaring takes microseconds,
// and so would the tasks, finishing in the order they were submitted), so small numbers finish
// first and the order visibly differs.
// The inputs come from --seed, so a run can be repeated; squares are exact 128-bit integers
// for any accepted --max.
//
// Usage: OMP_NUM_THREADS=3 as_completed [--seed S] [--count N] [--max M] [--delay S] [--json]

#include <cstdio>
#include <vector>

#include <omp.h>

#include "paracon/experiments/as_completed.hpp"

namespace ac = paracon::experiments::as_completed;
namespace sq = paracon::squares;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  ac::Options options;
  paracon::Cli cli("as_completed", "ThreadPoolExecutor + as_completed: OpenMP tasks reporting as they finish",
                   paracon::Threads::openmp);
  ac::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  paracon::Report report("as_completed", "openmp", cli.json());
  report.print_title(std::to_string(options.count) + " numbers below " + std::to_string(options.max) + ", " +
                     std::to_string(threads) + " threads");
  std::vector<std::uint64_t> x(options.count);
  for (std::uint64_t i = 0; i < options.count; ++i) x[i] = sq::item(options, i);

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: submit every item, report each as it completes
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<ac::Completed> completed;
  completed.reserve(options.count);
  paracon::Stopwatch clock;
#pragma omp parallel num_threads(threads)
#pragma omp single
  for (std::uint64_t i = 0; i < options.count; ++i) {
    //@ task 1: Submit each number as a task (executor.submit): the thread in `single` creates
    //@ them, the whole team runs them, in any order. Which variables does a task need its own
    //@ copy of, taken when it is created?
    //@ hint: #pragma omp task firstprivate(i) shared(x, completed)
    // executor.submit(f, x): a task; any thread of the team may run it, in any order.
#pragma omp task firstprivate(i) shared(x, completed)
    //@ end
    {
      const paracon::u128 y = ac::square_after_delay(options, x[i]);
      // as_completed: whoever finishes reports, one at a time.
      //@ task 2: Report each result as its task finishes (as_completed), one task at a time:
      //@ `completed` and stdout are shared by every task.
      //@ hint: a named critical section around the block.
#pragma omp critical(completed)
      //@ end
      {
        completed.push_back({i, x[i], y});
        if (!report.json()) std::printf("%s\n", sq::line(x[i], y).c_str());
      }
    }
  } // the barrier ending `single` waits for every task
  const double seconds = clock.seconds();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  ac::report(report, options, threads, completed, seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
