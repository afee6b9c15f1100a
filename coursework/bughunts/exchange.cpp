// exchange (MPI), a bug hunt: ranks in pairs swap arrays, a halo exchange in miniature. Rank r
// holds COUNT values r x COUNT, r x COUNT + 1, ...; ranks 0 and 1, 2 and 3, ... swap theirs (with
// an odd number of ranks the last keeps its own), each checks the values it received, and rank 0
// adds up what every rank holds.
//
// Its author ran it with 2 and 4 ranks and 100 or 400 values: every run passed. With a million
// values it never ends. Find out why, and fix it so that it ends at any size: the values must
// still travel between the ranks.
//
// Usage: mpirun -n 2 exchange [--count N] [--json]
// Check: scripts/exercise check mpi-exchange (a hang names the ranks still running, and the MPI
// call each one is in).

#include <cstdint>
#include <vector>

#include <mpi.h>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/report.hpp"

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv);
  const int rank = mpi.rank(), ranks = mpi.size();
  std::uint64_t count = 100;
  paracon::Cli cli("exchange", "Ranks in pairs swap arrays of COUNT values");
  cli.add_count("--count", count, "Values each rank holds and sends", 1, 100000000);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  paracon::Report report("exchange", "mpi", cli.json());
  if (mpi.root()) report.print_title(std::to_string(ranks) + " ranks, " + std::to_string(count) + " values each");

  const int partner = (rank % 2 == 0) ? (rank + 1 < ranks ? rank + 1 : rank) : rank - 1;
  const int n = static_cast<int>(count);
  std::vector<std::uint64_t> mine(count), theirs(count);
  for (std::uint64_t i = 0; i < count; ++i) mine[i] = static_cast<std::uint64_t>(rank) * count + i;

  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  if (partner == rank) {
    theirs = mine; // nobody to swap with
  } else {
    //@ bug
    //@ start: MPI_Send(mine.data(), n, MPI_UINT64_T, partner, 0, MPI_COMM_WORLD);
    //@ start: MPI_Recv(theirs.data(), n, MPI_UINT64_T, partner, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    // Both ranks send and receive at once: MPI pairs the two transfers, whatever their size.
    MPI_Sendrecv(mine.data(), n, MPI_UINT64_T, partner, 0, theirs.data(), n, MPI_UINT64_T, partner, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    //@ end
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  // Every value where it should be, and their sum on rank 0 (the checker recomputes it).
  std::uint64_t wrong = 0, sum = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    wrong += theirs[i] != static_cast<std::uint64_t>(partner) * count + i;
    sum += theirs[i];
  }
  std::uint64_t total = 0, wrong_total = 0;
  MPI_Reduce(&sum, &total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&wrong, &wrong_total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (mpi.root()) {
    report.add("ranks", ranks).add("count", count, "values each").add("sum", total, "sum of what all ranks hold");
    report.add("wrong", wrong_total, "values not where they should be");
    report.add("seconds", seconds, "seconds", paracon::format_seconds(seconds));
    report.verdict(wrong_total == 0, std::to_string(wrong_total) + " values arrived wrong");
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
