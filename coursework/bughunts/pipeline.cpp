// pipeline (MPI), a bug hunt: rank 0 streams BATCHES batches of COUNT values to every other rank,
// which adds up what it receives. Batch b holds b x COUNT, b x COUNT + 1, ...; rank 0 fills one
// buffer per batch and sends it without waiting, so that it can fill the next one meanwhile.
//
// Its author ran it with 2 to 4 ranks and batches of 100 values: every sum was right. With
// batches of 100 000 values, some sums come out wrong, and not always the same ones. Find the bug
// and fix it without giving up the overlap: rank 0 must still fill the next batch while the
// last one travels.
//
// Usage: mpirun -n 3 pipeline [--count N] [--batches B] [--json]
// Check: scripts/exercise check mpi-pipeline (the grader's MPI layer also counts the requests
// that were started and never completed).

#include <cstdint>
#include <vector>

#include <mpi.h>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/report.hpp"

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv);
  const int rank = mpi.rank(), ranks = mpi.size();
  std::uint64_t count = 100, batches = 8;
  paracon::Cli cli("pipeline", "Rank 0 streams batches of values to every other rank");
  cli.add_count("--count", count, "Values in a batch", 1, 10000000);
  cli.add_count("--batches", batches, "Batches", 1, 1000);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  paracon::Report report("pipeline", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(batches) + " batches of " + std::to_string(count) + " values to " +
                       std::to_string(ranks - 1) + " ranks");
  const int n = static_cast<int>(count);

  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  std::uint64_t sum = 0;
  if (mpi.root()) {
    // Two buffers, taken in turn: one is filled while the other travels.
    std::vector<std::uint64_t> buffers[2] = {std::vector<std::uint64_t>(count), std::vector<std::uint64_t>(count)};
    std::vector<MPI_Request> sending[2];
    for (std::uint64_t b = 0; b < batches; ++b) {
      std::vector<std::uint64_t>& buffer = buffers[b % 2];
      std::vector<MPI_Request>& requests = sending[b % 2];
      //@ bug
      //@ start: requests.clear(); // this buffer's last sends, long gone by now
      // Before the buffer is filled again, the sends that read it last time must be complete.
      MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
      requests.clear();
      //@ end
      for (std::uint64_t i = 0; i < count; ++i) buffer[i] = b * count + i;
      for (int r = 1; r < ranks; ++r) {
        requests.emplace_back();
        MPI_Isend(buffer.data(), n, MPI_UINT64_T, r, static_cast<int>(b), MPI_COMM_WORLD, &requests.back());
      }
    }
    // And the last two batches' sends, before the buffers are freed.
    for (auto& requests : sending) MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
  } else {
    std::vector<std::uint64_t> batch(count);
    for (std::uint64_t b = 0; b < batches; ++b) {
      MPI_Recv(batch.data(), n, MPI_UINT64_T, 0, static_cast<int>(b), MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      for (std::uint64_t v : batch) sum += v;
    }
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  // Every rank but 0 must hold the sum of 0, 1, ..., batches x count - 1.
  const std::uint64_t values = batches * count;
  const std::uint64_t expected = values % 2 == 0 ? values / 2 * (values - 1) : (values - 1) / 2 * values;
  const std::uint64_t right = rank == 0 || sum == expected;
  std::vector<std::uint64_t> sums(mpi.root() ? ranks : 0);
  MPI_Gather(&sum, 1, MPI_UINT64_T, sums.data(), 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::uint64_t right_ranks = 0;
  MPI_Reduce(&right, &right_ranks, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (mpi.root()) {
    sums.erase(sums.begin()); // rank 0 receives nothing
    report.add("ranks", ranks).add("count", count, "values a batch").add("batches", batches);
    report.add("sums", sums, "each rank's sum");
    report.add("seconds", seconds, "seconds", paracon::format_seconds(seconds));
    report.verdict(right_ranks == static_cast<std::uint64_t>(ranks),
                   std::to_string(ranks - right_ranks) + " rank(s) summed the wrong values");
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
