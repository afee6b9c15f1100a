// range_sum (MPI): the notebook's three processes, as MPI ranks.
//
// Mirrors notebook 000, Act 3 "Multiprocessing": processes Bar, ba and dos each print their
// name and `sum(range(0, size)) % 23`, with size 999 cold and 10 000 000 000 hot.
//
// Teaches two things, one per --mode:
//   replicate (the notebook's): every rank sums the whole range. Ranks are processes, as in
//     multiprocessing: no GIL, so up to the core count the wall time stays flat.
//   split: each rank sums its block, and MPI_Reduce adds the partial sums on rank 0. MPI has
//     no 128-bit integer, so the reduction uses a 16-byte type and a user-defined MPI_Op.
// Ranks come from the launcher: `mpirun -n 3 ./build/mpi/range_sum 10e9`.
//
// Usage: mpirun -n RANKS range_sum [SIZE] [--mode replicate|split] [--json] [--help]

#include <vector>

#include <mpi.h>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/kernels/range_sum.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace rs = paracon::experiments::range_sum;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters: every rank parses the same argv and reaches the same
  // verdict, so all exit with the same code; only rank 0 prints.
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::Options options;
  paracon::Cli cli("range_sum", "sum(range(0, SIZE)) % 23 by MPI ranks (mpirun -n RANKS)");
  rs::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  paracon::Report report("range_sum", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::string(rs::mode_name(options.mode)) + ", " + std::to_string(ranks) +
                       " ranks, n = " + std::to_string(options.n));

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();

  rs::Worker mine;
  //@ task 1: In split mode, give this rank its own block of [0, n), so that the ranks share the
  //@ sum instead of each repeating it (replicate mode keeps the whole range, as the notebook's
  //@ processes do).
  //@ hint: paracon::block({0, n}, ranks, rank) is rank's block, the blocks' sizes differing by at most one.
  //@ start: mine.part = paracon::Range{0, options.n}; // every rank the whole range
  // replicate: the whole range, as every notebook process does; split: this rank's block.
  mine.part =
      options.mode == rs::Mode::replicate ? paracon::Range{0, options.n} : paracon::block({0, options.n}, ranks, rank);
  //@ end
  mine.sum = paracon::range_sum(mine.part.begin, mine.part.end);
  mine.seconds = MPI_Wtime() - start;

  paracon::u128 total = mine.sum; // replicate: every rank holds the whole sum already
  //@ task 2: In split mode, add every rank's partial sum into `total` on rank 0, in one
  //@ collective call. MPI has no 128-bit integer type: the session provides a 16-byte type and
  //@ the operation that adds two of them.
  //@ hint: MPI_Reduce with mpi.u128_type() and mpi.u128_sum(), root 0.
  if (options.mode == rs::Mode::split)
    // The partial sums meet on rank 0: 16-byte values added by the session's MPI_Op.
    MPI_Reduce(&mine.sum, &total, 1, mpi.u128_type(), mpi.u128_sum(), 0, MPI_COMM_WORLD);
  //@ end

  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // the slowest rank

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report. Each rank's record goes to rank 0 (MPI_Gather), which prints the
  // ranks' lines in rank order: output forwarded by mpirun from several processes would
  // otherwise interleave in any order.
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<rs::Worker> workers(mpi.root() ? ranks : 0);
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, workers.data(), sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);

  if (mpi.root()) {
    rs::print_lines(report, options, workers, "Process");
    rs::report(report, options, workers, "Process", total, seconds);
    report.print();
  }
  // Rank 0 checked; every rank returns its verdict.
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
