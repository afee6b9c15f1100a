// sleep_map (MPI): the notebook's dormir(x) over [1, 2, 3, 4], dealt out to ranks.
//
// Mirrors notebook 001, "Criando um Pool": `pool.map(dormir, [1, 2, 3, 4])` takes 4 s where the
// loop takes 10 s.
//
// Teaches static scheduling across processes. Every rank knows the list and applies the same
// rule, so no message is needed to deal out the items: static gives each rank a contiguous
// block; longest-first gives each item, largest first, to the rank with the least sleeping so
// far, which is the best possible when item times are known in advance. A sleeping rank needs
// no core: `mpirun -n 4` on 2 cores still finishes in 4 s. The results come back to rank 0 in
// input order, as pool.map returns them.
//
// Usage: mpirun -n 2 sleep_map [--items LIST] [--scale S] [--schedule all|static|longest-first]
//        [--tolerance T] [--json] [--help]

#include <cstdio>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/sleep_map.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace sm = paracon::experiments::sleep_map;
using sm::Schedule;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  sm::Options options;
  paracon::Cli cli("sleep_map", "The notebook's dormir(x) over a list, dealt out to MPI ranks");
  sm::add_options(cli, options, {Schedule::static_blocks, Schedule::longest_first});
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  const std::size_t count = options.items.size();
  paracon::Report report("sleep_map", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(count) + " sleeps at scale " + paracon::show(options.scale) + ", " +
                       std::to_string(ranks) + " ranks");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: one per schedule
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<sm::Run> runs;
  for (Schedule schedule : options.schedules) {
    // Who sleeps which item: the same answer on every rank, from the same rule.
    std::vector<int> owner(count); // every item rank 0's, until they are dealt out
    //@ task 1: Deal the items out: for static blocks, rank r takes paracon::block({0, count},
    //@ ranks, r); for longest-first, the longest item goes to the rank with the least sleep so
    //@ far (paracon::lpt_assign of the durations). Every rank computes the same deal.
    if (schedule == Schedule::static_blocks)
      for (int r = 0; r < ranks; ++r) {
        const auto part = paracon::block({0, count}, ranks, r);
        for (auto i = part.begin; i < part.end; ++i) owner[i] = r;
      }
    else
      owner = paracon::lpt_assign(sm::durations(options), ranks);
    //@ end

    if (mpi.root() && !cli.json()) std::printf("-- schedule %s\n", sm::schedule_name(schedule));
    MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
    const double start = MPI_Wtime();
    std::vector<std::uint64_t> mine;
    for (std::size_t i = 0; i < count; ++i)
      if (owner[i] == rank)
        mine.push_back(sm::dormir(options.items[i], options.scale, paracon::worker_name(rank, "Process"), !cli.json()));
    const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // the last rank to wake

    // pool.map's results, in input order on rank 0. Every rank knows from the rule how many
    // items each rank has, so one MPI_Gatherv collects them in rank order, and rank 0 puts each
    // back where it belongs.
    //@ task 2: Gather the results on rank 0 in one collective call (they arrive in rank order),
    //@ and put each back in input order.
    //@ hint: paracon::mpi::owned_blocks(owner, ranks) gives the counts and displacements;
    //@ MPI_Gatherv; paracon::mpi::in_item_order.
    //@ start: runs.push_back({schedule, seconds, mine}); // right only while rank 0 sleeps every item
    const paracon::mpi::Blocks blocks = paracon::mpi::owned_blocks(owner, ranks);
    std::vector<std::uint64_t> by_rank(mpi.root() ? count : 0);
    MPI_Gatherv(mine.data(), blocks.counts[rank], MPI_UINT64_T, by_rank.data(), blocks.counts.data(),
                blocks.displacements.data(), MPI_UINT64_T, 0, MPI_COMM_WORLD);
    runs.push_back({schedule, seconds, paracon::mpi::in_item_order(by_rank, owner, blocks)});
    //@ end
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report (rank 0 checks; every rank returns the same verdict)
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    sm::report(report, options, ranks, runs);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
