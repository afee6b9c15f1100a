// range_sum (hybrid MPI + OpenMP): the range divided over ranks, each rank's block over its
// threads, the way programs run across the nodes of a cluster.
//
// Mirrors notebook 000, Acts 2 and 3 together: threads (Act 2) inside processes (Act 3), the
// same `sum(range(0, size)) % 23`.
//
// Teaches the two levels of a hybrid program. Between nodes there is no shared memory, so ranks
// divide the work and MPI_Reduce adds their sums; inside a rank, threads share memory, so an
// OpenMP reduction adds theirs. Only the main thread calls MPI, outside the parallel region:
// that is MPI_THREAD_FUNNELED, which the program asks for and refuses to run without.
// --mode replicate: every rank sums the whole range (its threads share it); split: the ranks
// share the range. Ranks from the launcher, threads per rank from OMP_NUM_THREADS.
//
// Usage: OMP_NUM_THREADS=2 mpirun -n 2 range_sum [SIZE] [--mode replicate|split] [--json]

#include <vector>

#include <mpi.h>
#include <omp.h>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/kernels/range_sum.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace rs = paracon::experiments::range_sum;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv, MPI_THREAD_FUNNELED); // threads inside; MPI from the main one
  if (!mpi.thread_level_ok()) return paracon::exit_usage;     // rank 0 has said why
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::Options options;
  paracon::Cli cli("range_sum", "sum(range(0, SIZE)) % 23 by MPI ranks, each with OpenMP threads",
                   paracon::Threads::openmp);
  rs::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  const int threads = omp_get_max_threads();
  paracon::Report report("range_sum", "hybrid", cli.json());
  if (mpi.root())
    report.print_title(std::string(rs::mode_name(options.mode)) + ", " + std::to_string(ranks) + " ranks x " +
                       std::to_string(threads) + " threads, n = " + std::to_string(options.n));

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
#pragma omp parallel num_threads(threads) // start the thread team before the clock
  (void)omp_get_thread_num();
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();

  rs::Worker mine;
  //@ task 1: Between ranks: in split mode, give this rank its block of [0, n).
  //@ hint: paracon::block({0, options.n}, ranks, rank).
  //@ start: mine.part = paracon::Range{0, options.n}; // every rank the whole range, for now
  mine.part =
      options.mode == rs::Mode::replicate ? paracon::Range{0, options.n} : paracon::block({0, options.n}, ranks, rank);
  //@ end
  // Inside the rank: its threads divide its part and OpenMP adds their sums.
  paracon::u128 local = 0;
  //@ task 2: Inside the rank: let its threads divide the rank's part (the block below takes
  //@ each thread's share of mine.part) and add their sums into `local`.
  //@ hint: a parallel region with reduction(+ : local).
#pragma omp parallel num_threads(threads) reduction(+ : local)
  //@ end
  {
    const auto part = paracon::block(mine.part, omp_get_num_threads(), omp_get_thread_num());
    local += paracon::range_sum(part.begin, part.end);
  }
  mine.sum = local;
  mine.seconds = MPI_Wtime() - start;

  // Between ranks: the main thread alone calls MPI (FUNNELED), after the parallel region.
  paracon::u128 total = mine.sum;
  //@ task 3: Between ranks again: in split mode, add the ranks' sums into `total` on rank 0,
  //@ from the main thread, outside the parallel region (the session asked for FUNNELED).
  //@ hint: MPI_Reduce with mpi.u128_type() and mpi.u128_sum().
  if (options.mode == rs::Mode::split)
    MPI_Reduce(&mine.sum, &total, 1, mpi.u128_type(), mpi.u128_sum(), 0, MPI_COMM_WORLD);
  //@ end
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: each rank's record to rank 0 (MPI_Gather), lines in rank order
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<rs::Worker> workers(mpi.root() ? ranks : 0);
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, workers.data(), sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (mpi.root()) {
    rs::print_lines(report, options, workers, "Process");
    report.add("ranks", ranks).add("threads", threads, "threads per rank");
    rs::report(report, options, workers, "Process", total, seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
