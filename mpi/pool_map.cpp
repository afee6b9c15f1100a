// pool_map (MPI): `Pool(cpu_count()).map(f, X)` as MPI_Scatterv, a local map, MPI_Gatherv.
//
// Mirrors notebook 000, Act 3, "Pool simplificado em 3 passos": Y = p.map(f, X), results in
// input order.
//
// Teaches scatter and gather with uneven counts. Rank 0 holds X. MPI_Scatterv sends each rank
// a contiguous block (sizes differ by at most one when the ranks do not divide the list), each
// rank squares its block (a loop, or the Eigen expression Y = X.square()), and MPI_Gatherv
// puts the blocks back on rank 0 at the same offsets: Y is in input order by construction,
// which is what map promises and as_completed does not. Rank 0's own block never moves
// (MPI_IN_PLACE): it squares its part of X straight into its part of Y, so one rank does exactly
// what one OpenMP thread does, and more ranks pay only for moving the others' blocks. Only rank 0
// holds the whole lists; the memory the ranks of a node need together is checked first, with one
// verdict for all.
//
// Usage: mpirun -n 4 pool_map [--seed S] [--count N] [--max M] [--variant loop|eigen|both] [--json]

#include <vector>

#include <Eigen/Core>
#include <mpi.h>

#include "paracon/experiments/pool_map.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/system.hpp"

namespace pm = paracon::experiments::pool_map;
namespace sq = paracon::squares;
using Vector = Eigen::Array<std::uint64_t, Eigen::Dynamic, 1>;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  pm::Options options;
  paracon::Cli cli("pool_map", "Pool.map(f, X) as MPI_Scatterv, a map on each rank, MPI_Gatherv");
  pm::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  const std::uint64_t n = options.count;
  // Rank r's block of X: sizes differ by at most one (counts and offsets for the *v collectives).
  const paracon::mpi::Blocks blocks = paracon::mpi::even_blocks(n, ranks);
  const int mine = blocks.counts[rank];
  if (auto why = paracon::mpi::node_memory_refusal("the lists of one node need",
                                                   16u * mine + (mpi.root() ? pm::bytes_needed(options, n) : 0),
                                                   "use a smaller --count")) {
    if (mpi.root()) paracon::print_error("pool_map", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("pool_map", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(n) + " numbers below " + std::to_string(options.max) + ", " +
                       std::to_string(ranks) + " ranks");
  std::vector<std::uint64_t> x(mpi.root() ? n : 0);
  for (std::uint64_t i = 0; i < x.size(); ++i) x[i] = sq::item(options, i);

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: scatter, map, gather
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<pm::Mapped> runs;
  std::vector<std::uint64_t> block(mpi.root() ? 0 : mine), squares(mpi.root() ? 0 : mine); // touched here, not timed
  for (const std::string& name : options.variants) {
    pm::Mapped run{name, std::vector<std::uint64_t>(mpi.root() ? n : 0), 0};
    // Rank 0 maps its block where it lies; the others, what they receive.
    const std::uint64_t* in = mpi.root() ? x.data() : block.data();
    std::uint64_t* out = mpi.root() ? run.y.data() : squares.data();
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    //@ task 1: Send each rank its block of X from rank 0, in one collective call; the blocks
    //@ differ in size by at most one. Rank 0's own block stays where it is.
    //@ hint: MPI_Scatterv with blocks.counts and blocks.displacements; rank 0 receives MPI_IN_PLACE.
    MPI_Scatterv(x.data(), blocks.counts.data(), blocks.displacements.data(), MPI_UINT64_T,
                 mpi.root() ? MPI_IN_PLACE : block.data(), mine, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    //@ end
    if (name == "loop")
      for (int i = 0; i < mine; ++i) out[i] = in[i] * in[i];
    else // np.power(X, 2) on this rank's block
      Eigen::Map<Vector>(out, mine) = Eigen::Map<const Vector>(in, mine).square();
    //@ task 2: Put every rank's squares back on rank 0, each block at its offset in Y, so Y is
    //@ in input order, as map promises.
    //@ hint: MPI_Gatherv, with MPI_IN_PLACE as rank 0's send buffer.
    MPI_Gatherv(mpi.root() ? MPI_IN_PLACE : squares.data(), mine, MPI_UINT64_T, run.y.data(), blocks.counts.data(),
                blocks.displacements.data(), MPI_UINT64_T, 0, MPI_COMM_WORLD);
    //@ end
    run.seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    runs.push_back(std::move(run));
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report on rank 0: for x, y in zip(X, Y): print(x, 'squared is', y)
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    pm::print_lines(report, options, runs.front().y);
    pm::report(report, options, ranks, runs);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
