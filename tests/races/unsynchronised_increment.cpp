// A real data race, for the race-detection build to find: many threads add to one plain int
// with `++count` and nothing to make the read, the add and the write indivisible. The tests
// require Archer to report it, so that "zero reports" elsewhere cannot pass for a detector that
// sees nothing. (openmp/refcount races on purpose too, but through relaxed atomics: the lost
// updates of its lesson without the undefined behaviour of a C++ data race.)
#include <cstdio>

#include <omp.h>

int main() {
  long count = 0;
#pragma omp parallel for num_threads(2)
  for (int i = 0; i < 100000; ++i) ++count; // the race
  std::printf("%ld of 100000\n", count);
  return 0;
}
