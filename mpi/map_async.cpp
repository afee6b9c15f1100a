// map_async (MPI): a nonblocking collective is map_async's AsyncResult.
//
// Mirrors notebook 001, "Códigos Assíncronos": `result = pool.map_async(...)`, work that does
// not depend on the result, then `result.ready()`, `result.wait()` and `result.get()`.
//
// Teaches nonblocking collectives. Ranks 1, 2, ... are the pool: each maps its block of the
// items. Every rank starts MPI_Igatherv, which brings the results to rank 0 and returns at once
// with a request: the AsyncResult. Rank 0, the caller, cannot have the whole result before the
// slowest rank has finished its items; instead of blocking, it does unrelated work and asks
// MPI_Test between units (ready(); each call also lets MPI make progress). MPI_Wait is wait(),
// and the gathered array, in input order, is get(). The report says how much of rank 0's wait
// was filled with useful work.
//
// Usage: mpirun -n 3 map_async [--items LIST] [--scale S] [--unit N] [--json] [--help]

#include <algorithm>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/map_async.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace ma = paracon::experiments::map_async;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  ma::Options options;
  paracon::Cli cli("map_async", "pool.map_async, ready(), wait() and get() with MPI_Igatherv and MPI_Test");
  ma::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  const std::size_t count = options.items.size();
  paracon::Report report("map_async", "mpi", cli.json());
  if (mpi.root()) report.print_title(std::to_string(count) + " items, " + std::to_string(ranks) + " ranks");

  // Blocks of the items, in rank order: gathered in rank order, they are in input order. Rank 0
  // is the caller of map_async, the other ranks are the pool: rank 0 maps nothing while there is
  // a pool (on one rank it maps everything, and map_async is just map).
  std::vector<int> counts = paracon::mpi::even_blocks(count, std::max(ranks - 1, 1)).counts;
  if (ranks > 1) counts.insert(counts.begin(), 0);
  const paracon::mpi::Blocks blocks = paracon::mpi::blocks_of(counts);

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();
  std::vector<std::uint64_t> mine;
  for (int k = 0; k < blocks.counts[rank]; ++k)
    mine.push_back(ma::item(options, options.items[blocks.displacements[rank] + k]));

  // result = map_async(...): the gathering starts and returns at once with a request.
  std::vector<std::uint64_t> results(mpi.root() ? count : 0);
  MPI_Request result;
  //@ task 1: map_async: start gathering every rank's results on rank 0, in rank order (so in
  //@ input order), with a call that returns at once; `result` is the AsyncResult.
  //@ hint: MPI_Igatherv with blocks.counts and blocks.displacements.
  //@ start: result = MPI_REQUEST_NULL; // nothing gathered yet
  MPI_Igatherv(mine.data(), blocks.counts[rank], MPI_UINT64_T, results.data(), blocks.counts.data(),
               blocks.displacements.data(), MPI_UINT64_T, 0, MPI_COMM_WORLD, &result);
  //@ end

  // "Do something that doesn't depend on result", asking ready() (MPI_Test) between units.
  ma::Waiting waiting;
  const double launched = MPI_Wtime();
  int ready = 0;
  //@ task 2: Until the gather is complete, do units of unrelated work, asking ready() between
  //@ them (each ask also lets MPI move the messages along); count the times it said no.
  //@ hint: MPI_Test(&result, &ready, MPI_STATUS_IGNORE) is ready().
  MPI_Test(&result, &ready, MPI_STATUS_IGNORE);
  while (!ready) {
    ++waiting.not_ready;
    const double unit = MPI_Wtime();
    waiting.unrelated += ma::unrelated_work(options, waiting.units++);
    waiting.unit_seconds += MPI_Wtime() - unit;
    MPI_Test(&result, &ready, MPI_STATUS_IGNORE);
  }
  //@ end
  waiting.launched_to_ready = MPI_Wtime() - launched;

  // result.wait(): already complete here, but this is the call that would block.
  const double blocked = MPI_Wtime();
  MPI_Wait(&result, MPI_STATUS_IGNORE);
  waiting.in_wait = MPI_Wtime() - blocked;
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: result.get() is `results` on rank 0, in input order
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    ma::report(report, options, ranks, results, waiting, seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
