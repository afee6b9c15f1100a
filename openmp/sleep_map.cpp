// sleep_map (OpenMP): the notebook's dormir(x) over [1, 2, 3, 4], in series and in parallel.
//
// Mirrors notebook 001, "Códigos Seriais" and "Criando um Pool": `for x in my_list: dormir(x)`
// takes 10 s, `pool.map(dormir, [1, 2, 3, 4])` 4 s.
//
// Teaches scheduling. A sleeping thread needs no core, so threads may outnumber cores here:
// OMP_NUM_THREADS=4 on a 2-core laptop still finishes in 4 s. With fewer threads than items the
// schedule decides the wall time: on 2 threads `schedule(static)` gives thread 0 the items 1, 2
// and thread 1 the items 3, 4 (7 s); `schedule(monotonic : dynamic, 1)` hands the next item to
// whichever thread is free (6 s); and the same with the longest items first reaches the best
// possible, 5 s. `monotonic` matters: since OpenMP 5.0 a plain `dynamic` is nonmonotonic, items
// may go out in any order, and LLVM's libomp does start each thread on a block of its own and
// lets the others steal from it, which is neither queue nor prediction. The program predicts each schedule's wall time
// and checks it, within --tolerance.
//
// Usage: OMP_NUM_THREADS=2 sleep_map [--items LIST] [--scale S] [--schedule all|static|dynamic|
//        longest-first] [--tolerance T] [--json] [--help]

#include <cstdio>
#include <vector>

#include <omp.h>

#include "paracon/experiments/sleep_map.hpp"
#include "paracon/kernels/partition.hpp"

namespace sm = paracon::experiments::sleep_map;
using sm::Schedule;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  sm::Options options;
  paracon::Cli cli("sleep_map", "The notebook's dormir(x) over a list, by OpenMP threads (OMP_NUM_THREADS)",
                   paracon::Threads::openmp);
  sm::add_options(cli, options, {Schedule::static_blocks, Schedule::dynamic, Schedule::longest_first});
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  const std::size_t count = options.items.size();
  const bool print = !cli.json();
  paracon::Report report("sleep_map", "openmp", cli.json());
  report.print_title(std::to_string(count) + " sleeps at scale " + paracon::show(options.scale) + ", " +
                     std::to_string(threads) + " threads");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: one per schedule
  //////////////////////////////////////////////////////////////////////////////////////////
  const std::vector<std::size_t> longest_first = paracon::largest_first(sm::durations(options));
  std::vector<sm::Run> runs;
  for (Schedule schedule : options.schedules) {
    std::vector<std::uint64_t> results(count);
    if (print) std::printf("-- schedule %s\n", sm::schedule_name(schedule));
    sm::Sleeps sleeps(options, "Thread", print); // dormir(x), and which thread slept it when; the clock starts
    if (schedule == Schedule::static_blocks) {
      // Contiguous blocks decided before anyone starts.
      //@ task 1: Pool.map with contiguous blocks of the list decided before anyone starts.
      //@ hint: a parallel for with a static schedule.
#pragma omp parallel for schedule(static) num_threads(threads)
      //@ end
      for (std::size_t i = 0; i < count; ++i) results[i] = sleeps.dormir(i, omp_get_thread_num());
    } else {
      // One item at a time to whichever thread is free; longest-first visits the items sorted.
      //@ task 2: One item at a time to whichever thread is free, in the order of the loop (for
      //@ longest-first, the items sorted by length). Why does the order matter?
      //@ hint: schedule(monotonic : dynamic, 1); without monotonic, LLVM's runtime may take items out of order.
#pragma omp parallel for schedule(monotonic : dynamic, 1) num_threads(threads)
      //@ end
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = schedule == Schedule::longest_first ? longest_first[k] : k;
        results[i] = sleeps.dormir(i, omp_get_thread_num());
      }
    }
    runs.push_back({schedule, sleeps.seconds(), results, sleeps.spans()});
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  sm::report(report, options, threads, runs);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
