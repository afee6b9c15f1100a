// refcount (OpenMP): many threads add to one reference count, unsynchronised and then with each
// of OpenMP's tools; and std::shared_ptr::use_count, C++'s sys.getrefcount.
//
// Mirrors notebook 000, Part 0, "Global Interpreter Lock": sys.getrefcount(foo), and "the GIL
// was created to solve the problem of counting references".
//
// Teaches races and their cures. `++count` is three steps, read, add, write; two threads that
// read the same value both write value + 1, and one increment is lost. (In C++ a plain `++` on a
// shared int from two threads is a data race, undefined behaviour; the race is spelled out here
// as a relaxed atomic load and a separate store, the same three steps without the undefined
// behaviour.) The cures, each exact, each with its cost per increment: `omp atomic` (one
// indivisible instruction), `omp critical` and an `omp_lock_t` (one thread at a time, a lock per
// increment: CPython's GIL is this, taken for much longer), and `reduction` (each thread counts
// privately and the counts are added once at the end: no sharing, nearly free). Then
// std::shared_ptr: every copy raises use_count and every destruction lowers it, atomically, so
// it is always right, at the price of an atomic instruction per copy.
//
// Usage: OMP_NUM_THREADS=4 refcount [--increments N] [--variant all|unsynchronised|atomic|
//        critical|lock|reduction|shared_ptr] [--json]

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <omp.h>

#include "paracon/experiments/refcount.hpp"

namespace rc = paracon::experiments::refcount;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  rc::Options options;
  paracon::Cli cli("refcount", "A shared reference count incremented by OpenMP threads, raced and synchronised",
                   paracon::Threads::openmp);
  rc::add_options(cli, options, 1000000, {"unsynchronised", "atomic", "critical", "lock", "reduction", "shared_ptr"});
  if (auto code = cli.parse(argc, argv)) return *code;

  const int threads = omp_get_max_threads();
  const std::uint64_t n = options.increments;
  paracon::Report report("refcount", "openmp", cli.json());
  report.print_title(std::to_string(threads) + " threads, " + std::to_string(n) + " increments each");
  std::vector<rc::Count> counts;
  std::string shared_ptr_failure;

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: one per way of incrementing
  //////////////////////////////////////////////////////////////////////////////////////////
  //
  // A race shows only while the threads run at the same moment, and that is what makes races
  // dangerous: a million increments take under a millisecond, a thread can be a scheduler's time
  // slice (milliseconds) late, and the same program is right in one run and wrong in the next.
  // To show it every time, the race runs in rounds, each starting with every thread at a barrier,
  // for at least race_seconds, and on past that (up to race_patience) until an update is lost,
  // as it is at once when two threads get two cores. Every round's increments are counted.
  constexpr double race_seconds = 0.1, race_patience = 10;
  for (const std::string& variant : options.variants) {
    rc::Count c{variant, variant != "unsynchronised", threads * n};
    std::int64_t count = 0;
    omp_lock_t lock;
    omp_init_lock(&lock);
    paracon::Stopwatch clock;
    if (variant == "unsynchronised") {
      c.rounds = 0;
      do {
#pragma omp parallel num_threads(threads)
        {
          std::atomic_ref<std::int64_t> shared(count);
#pragma omp barrier // all threads at the start line: their increments overlap
          for (std::uint64_t i = 0; i < n; ++i) // read, add, write: another thread may write between
            shared.store(shared.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        }
        ++c.rounds;
        c.expected = c.rounds * threads * n;
      } while (clock.seconds() < race_seconds ||
               (threads > 1 && std::uint64_t(count) == c.expected && clock.seconds() < race_patience));
    } else if (variant == "atomic") {
#pragma omp parallel num_threads(threads)
      for (std::uint64_t i = 0; i < n; ++i) {
        //@ task 1: Make the increment indivisible, one instruction that no other thread can
        //@ interrupt.
        //@ hint: one directive before the statement.
#pragma omp atomic
        //@ end
        ++count;
      }
    } else if (variant == "critical") {
#pragma omp parallel num_threads(threads)
      for (std::uint64_t i = 0; i < n; ++i) {
        //@ task 2: Let one thread at a time into the increment, with a named critical section.
#pragma omp critical(refcount)
        //@ end
        ++count;
      }
    } else if (variant == "lock") {
#pragma omp parallel num_threads(threads)
      for (std::uint64_t i = 0; i < n; ++i) {
        //@ task 3: The same with an explicit lock, as CPython's GIL is one: take it, increment,
        //@ give it back.
        //@ hint: omp_set_lock(&lock) and omp_unset_lock(&lock); the lock is initialised above.
        //@ start: ++count;
        omp_set_lock(&lock);
        ++count;
        omp_unset_lock(&lock);
        //@ end
      }
    } else if (variant == "reduction") {
      //@ task 4: Share nothing: each thread counts in a private copy of count, and the copies
      //@ are added once, when the team ends.
      //@ hint: a reduction clause on the parallel directive.
      //@ start: #pragma omp parallel num_threads(threads)
#pragma omp parallel num_threads(threads) reduction(+ : count)
      //@ end
      for (std::uint64_t i = 0; i < n; ++i) ++count; // a private count per thread, added at the end
    } else { // shared_ptr: n copies made and dropped by each thread, use_count checked meanwhile
      auto object = std::make_shared<std::vector<int>>(); // foo = []
      constexpr std::size_t held = 1000;
      long during = 0;
#pragma omp parallel num_threads(threads)
      {
        {
          std::vector<std::shared_ptr<std::vector<int>>> copies(held, object); // held references each
#pragma omp barrier
#pragma omp single
          during = object.use_count();
        }
        for (std::uint64_t i = 0; i < n; ++i) {
          std::shared_ptr<std::vector<int>> copy = object; // +1, atomically
        }                                                  // -1, atomically
      }
      c.expected = 1;
      count = object.use_count(); // every copy gone: the owner's reference only
      const long want = 1 + static_cast<long>(threads * held);
      if (during != want)
        shared_ptr_failure =
            "use_count was " + std::to_string(during) + " with every copy held, expected " + std::to_string(want);
      report.add("use_count_held", during, "use_count, copies held",
                 std::to_string(during) + " = 1 + " + std::to_string(threads) + " threads x " + std::to_string(held));
    }
    c.seconds = clock.seconds();
    omp_destroy_lock(&lock);
    c.observed = static_cast<std::uint64_t>(count);
    counts.push_back(c);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // The notebook's chain of names, uno = []; dos = uno; tres = dos; cuatro = tres
  //////////////////////////////////////////////////////////////////////////////////////////
  auto uno = std::make_shared<std::vector<int>>();
  auto dos = uno, tres = dos, cuatro = tres;
  report.add("use_count_chain", cuatro.use_count(), "uno..cuatro use_count",
             std::to_string(cuatro.use_count()) + " (Python's getrefcount says 5: its own argument is one more)");

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  if (cuatro.use_count() != 4) shared_ptr_failure = "four names, but use_count " + std::to_string(cuatro.use_count());
  rc::report(report, options, threads, counts, shared_ptr_failure);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
