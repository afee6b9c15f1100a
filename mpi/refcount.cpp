// refcount (MPI): one reference count shared by processes, which share no memory.
//
// Mirrors notebook 000, Part 0 (reference counts, and why the GIL guards them), for processes:
// Act 3 says each process gets its own interpreter, and with it its own counts.
//
// Teaches one-sided communication and its price. A count shared between processes has to live
// in one of them: rank 0 exposes one int64 in an MPI window, and the others update it with no
// action from rank 0. MPI_Fetch_and_op(MPI_SUM) is the remote `omp atomic`: indivisible, it
// returns the old value, and waiting for it (MPI_Win_flush) makes every increment a round trip.
// MPI_Accumulate(MPI_SUM) is atomic too but returns nothing, so increments can stream with one
// flush at the end. And the cure that needs no shared counter at all: count locally, then one
// MPI_Reduce, the MPI form of OpenMP's `reduction`. All three are exact; the report shows what
// each increment costs.
//
// Usage: mpirun -n 4 refcount [--increments N] [--variant all|fetch_and_op|accumulate|reduce]
//        [--json]

#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/refcount.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace rc = paracon::experiments::refcount;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  rc::Options options;
  paracon::Cli cli("refcount", "A reference count on rank 0, incremented by every rank: one-sided MPI and a reduction");
  rc::add_options(cli, options, 10000, {"fetch_and_op", "accumulate", "reduce"});
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  const std::uint64_t n = options.increments;
  paracon::Report report("refcount", "mpi", cli.json());
  if (mpi.root()) report.print_title(std::to_string(ranks) + " ranks, " + std::to_string(n) + " increments each");

  // The shared count: 8 bytes in rank 0's window; the other ranks expose nothing.
  std::int64_t* counter = nullptr;
  MPI_Win window;
  MPI_Win_allocate(mpi.root() ? sizeof(std::int64_t) : 0, sizeof(std::int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &counter,
                   &window);
  const std::int64_t one = 1, zero = 0;
  std::vector<rc::Count> counts;

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: one per way of counting
  //////////////////////////////////////////////////////////////////////////////////////////
  for (const std::string& variant : options.variants) {
    rc::Count c{variant, true, static_cast<std::uint64_t>(ranks) * n};
    std::int64_t total = 0;
    if (mpi.root()) { // the count starts at zero, written through the window like any update
      MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window);
      MPI_Put(&zero, 1, MPI_INT64_T, 0, 0, 1, MPI_INT64_T, window);
      MPI_Win_unlock(0, window);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    if (variant == "reduce") {
      std::int64_t mine = 0;
      for (std::uint64_t i = 0; i < n; ++i) ++mine; // private: nobody else touches it
      //@ task 1: Count privately, then add the ranks' counts on rank 0 once.
      //@ hint: MPI_Reduce with MPI_SUM.
      //@ start: total = mine;
      MPI_Reduce(&mine, &total, 1, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
      //@ end
    } else {
      MPI_Win_lock_all(0, window); // a passive-target epoch: rank 0 takes no part
      for (std::uint64_t i = 0; i < n; ++i) {
        if (variant == "fetch_and_op") {
          //@ task 2: Add one to the count in rank 0's window and get its old value back, as
          //@ an atomic read-modify-write; wait for that value before the next increment.
          //@ hint: MPI_Fetch_and_op(&one, &before, MPI_INT64_T, 0, 0, MPI_SUM, window), then MPI_Win_flush.
          std::int64_t before;
          MPI_Fetch_and_op(&one, &before, MPI_INT64_T, 0, 0, MPI_SUM, window);
          MPI_Win_flush(0, window); // wait for the old value: a round trip per increment
          //@ end
        } else {
          //@ task 3: Add one to the count without waiting for anything: the updates stream,
          //@ and MPI applies each atomically.
          //@ hint: MPI_Accumulate.
          MPI_Accumulate(&one, 1, MPI_INT64_T, 0, 0, 1, MPI_INT64_T, MPI_SUM, window);
          //@ end
        }
      }
      MPI_Win_unlock_all(window); // completes every update of this rank
      MPI_Barrier(MPI_COMM_WORLD);
      if (mpi.root()) {
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, window);
        MPI_Get(&total, 1, MPI_INT64_T, 0, 0, 1, MPI_INT64_T, window);
        MPI_Win_unlock(0, window);
      }
    }
    c.seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    c.observed = static_cast<std::uint64_t>(total);
    counts.push_back(c);
  }
  MPI_Win_free(&window);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    rc::report(report, options, ranks, counts);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
