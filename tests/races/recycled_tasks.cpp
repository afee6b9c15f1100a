// Not a race: the limit of the race detector that keeps as_completed's 1000-task run out of the
// race tests. Every task gets its own copy of i (firstprivate), and the vector is only touched
// inside `critical`; yet Archer with LLVM 14's libomp reports a data race on the task's own data.
// libomp frees a finished task's descriptor into the list of the thread that created it, with
// atomics ThreadSanitizer does not see (libomp is not instrumented), and that thread reuses the
// memory for its next task: to ThreadSanitizer, the new task's copy of i is written while the
// old task may still read its own. It takes the second thread running some of the first one's
// tasks, which a loaded machine may deny it for a whole run (3 runs in 30 reported, with two
// busy processes on the two cores): so the creator waits, after its first hundred tasks, until
// the other thread has run fifty, counting with relaxed atomics, which order nothing for
// ThreadSanitizer. The test requires the report, so that the day a newer Archer stops making it,
// the exclusion is dropped.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include <omp.h>

int main() {
  std::vector<int> squares;
  std::atomic<int> run_by_the_other{0};
#pragma omp parallel num_threads(2)
#pragma omp single
  {
    const int creator = omp_get_thread_num();
    for (int i = 0; i < 20000; ++i) {
#pragma omp task firstprivate(i) shared(squares, run_by_the_other)
      {
        const int y = i * i;
#pragma omp critical
        squares.push_back(y);
        if (omp_get_thread_num() != creator)
          run_by_the_other.fetch_add(1, std::memory_order_relaxed);
      }
      if (i == 99 && omp_get_num_threads() > 1)
        while (run_by_the_other.load(std::memory_order_relaxed) < 50)
          std::this_thread::yield();
    }
  }
  std::printf("%zu squares\n", squares.size());
  return squares.size() == 20000 ? 0 : 1;
}
