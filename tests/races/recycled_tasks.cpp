// Not a race: the limit of the race detector that keeps as_completed's 1000-task run out of the
// race tests. Every task gets its own copy of i (firstprivate), and the vector is only touched
// inside `critical`; yet Archer with LLVM 14's libomp reports a data race on the task's own data.
// libomp frees a finished task's descriptor into the list of the thread that created it, with
// atomics ThreadSanitizer does not see (libomp is not instrumented), and that thread reuses the
// memory for its next task: to ThreadSanitizer, the new task's copy of i is written while the
// old task may still read its own. A dozen tasks do not get recycled; a thousand may, and twenty thousand do. The test
// requires the report, so that the day a newer Archer stops making it, the exclusion is dropped.
#include <cstdio>
#include <vector>

int main() {
  std::vector<int> squares;
#pragma omp parallel num_threads(2)
#pragma omp single
  for (int i = 0; i < 20000; ++i) {
#pragma omp task firstprivate(i) shared(squares)
    {
      const int y = i * i;
#pragma omp critical
      squares.push_back(y);
    }
  }
  std::printf("%zu squares\n", squares.size());
  return squares.size() == 20000 ? 0 : 1;
}
