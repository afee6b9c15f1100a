// map_async (OpenMP): launch the map, do other work, ask ready(), then wait() and get().
//
// Mirrors notebook 001, "Códigos Assíncronos": `result = pool.map_async(my_sleep_from_file,
// [10, 10, 10, 10, 10, 10])`, then `print('Do something that doesn't depend on result')`, then
// `result.wait()`, `result.get()` and `result.ready()`.
//
// Teaches asynchrony with OpenMP tasks. One thread creates a task per item and does not wait
// for them: that is map_async. The other threads of the team run the tasks while the
// launching thread does work that does not depend on the result, asking between units whether
// every task is done (ready()). `taskwait` is wait(); the results, in input order, are get().
// With one thread there is nobody to run the tasks meanwhile: they run when created, and
// map_async is just map. The report says how much of the wait was filled with useful work.
//
// Usage: OMP_NUM_THREADS=4 map_async [--items LIST] [--scale S] [--unit N] [--json] [--help]

#include <atomic>
#include <vector>

#include <omp.h>

#include "paracon/experiments/map_async.hpp"

namespace ma = paracon::experiments::map_async;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  ma::Options options;
  paracon::Cli cli("map_async", "pool.map_async, ready(), wait() and get() with OpenMP tasks (OMP_NUM_THREADS)",
                   paracon::Threads::openmp);
  ma::add_options(cli, options);
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  const std::size_t count = options.items.size();
  paracon::Report report("map_async", "openmp", cli.json());
  report.print_title(std::to_string(count) + " items, " + std::to_string(threads) + " threads");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<std::uint64_t> results(count);
  std::atomic<std::size_t> done{0};
  ma::Waiting waiting;
  paracon::Stopwatch clock;
#pragma omp parallel num_threads(threads)
#pragma omp single
  {
    // result = pool.map_async(item, items): one task per item; this thread goes on at once.
    // Alone in the team, nobody else could run a deferred task while this thread polls:
    // if(...) makes the task run now, undeferred.
    const bool helpers = omp_get_num_threads() > 1;
    for (std::size_t i = 0; i < count; ++i) {
      //@ task 1: map_async: make each item a task that the other threads run while this one
      //@ goes on. Alone in the team, nobody else could run a deferred task while this thread
      //@ polls: then the task must run at once, undeferred.
      //@ hint: #pragma omp task firstprivate(i) shared(results, done) if (helpers)
#pragma omp task firstprivate(i) shared(results, done) if (helpers)
      //@ end
      {
        results[i] = ma::item(options, options.items[i]);
        done.fetch_add(1, std::memory_order_release);
      }
    }
    const auto ready = [&] { return done.load(std::memory_order_acquire) == count; }; // result.ready()

    // "Do something that doesn't depend on result", asking ready() between units of it.
    paracon::Stopwatch launched;
    while (!ready()) {
      ++waiting.not_ready;
      paracon::Stopwatch unit;
      waiting.unrelated += ma::unrelated_work(options, waiting.units++);
      waiting.unit_seconds += unit.seconds();
    }
    waiting.launched_to_ready = launched.seconds();

    // result.wait(): nothing is left by now, but this is the call that would block.
    paracon::Stopwatch blocked;
    //@ task 2: result.wait(): wait for every task this thread created.
#pragma omp taskwait
    //@ end
    waiting.in_wait = blocked.seconds();
  }
  const double seconds = clock.seconds();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: result.get() is `results`, in input order
  //////////////////////////////////////////////////////////////////////////////////////////
  ma::report(report, options, threads, results, waiting, seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
