// The bandwidth at which MPI copies a large message from one rank to another on the same node
// (shared memory), for bench/pool_map.py to set pool_map's scatter and gather beside: rank 0
// sends BYTES to rank 1, which answers with one byte; the median of REPETITIONS such trips,
// buffers touched before the clock, gives GB/s one way. Run on 2 ranks:
//   mpiexec -n 2 mpi_copy [BYTES] [REPETITIONS]   prints one JSON object on rank 0
#include <algorithm>
#include <cstdio>
#include <vector>

#include <mpi.h>

#include <nlohmann/json.hpp>

#include "paracon/plumbing/numbers.hpp"

#include "median.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  std::uint64_t bytes = 40000000, reps = 7;
  try {
    if (argc > 1) bytes = paracon::parse_count(argv[1], 1ull << 31);
    if (argc > 2) reps = paracon::parse_count(argv[2], 1000);
  } catch (const std::exception& e) {
    if (rank == 0) std::fprintf(stderr, "mpi_copy: error: %s\n", e.what());
    MPI_Finalize();
    return 2;
  }
  if (ranks < 2) {
    if (rank == 0) std::fprintf(stderr, "mpi_copy: error: needs 2 ranks\n");
    MPI_Finalize();
    return 2;
  }
  std::vector<char> buffer(bytes, static_cast<char>(rank + 1)); // touched here, not timed
  std::vector<double> seconds;
  char ack = 0;
  for (std::uint64_t r = 0; r < reps + 1; ++r) { // the first trip warms the transport up
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    if (rank == 0) {
      MPI_Send(buffer.data(), static_cast<int>(bytes), MPI_CHAR, 1, 0, MPI_COMM_WORLD);
      MPI_Recv(&ack, 1, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      MPI_Recv(buffer.data(), static_cast<int>(bytes), MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(&ack, 1, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
    }
    if (r > 0) seconds.push_back(MPI_Wtime() - start);
  }
  const bool arrived = rank != 1 || std::all_of(buffer.begin(), buffer.end(), [](char c) { return c == 1; });
  int valid = arrived, all_valid = 0;
  MPI_Reduce(&valid, &all_valid, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    const double middle = median(seconds);
    const nlohmann::json out{{"bytes", bytes},
                             {"repetitions", reps},
                             {"valid", all_valid == 1},
                             {"seconds", middle},
                             {"gb_per_s", static_cast<double>(bytes) / middle / 1e9}};
    std::printf("%s\n", out.dump().c_str());
  }
  MPI_Finalize();
  return all_valid == 1 || rank != 0 ? 0 : 1;
}
