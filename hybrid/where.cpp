// where (hybrid MPI + OpenMP): where every rank and thread runs, the idea behind the xthi
// tools that cluster centres hand out.
//
// Not a notebook cell: the check a user runs before trusting any hybrid timing. Every rank and
// each of its threads reports its host, the CPU it is running on now (sched_getcpu) and the
// CPUs it may run on (its affinity mask, sched_getaffinity), with OpenMP's binding policy and
// place. Rank 0 prints them in rank and thread order, so a user can see what OMP_PLACES,
// OMP_PROC_BIND, `mpirun --map-by ... --bind-to ...` or `srun --cpu-bind` really did: threads
// piled on one core, ranks sharing CPUs, or a clean one-CPU-each layout.
//
// Usage: OMP_NUM_THREADS=2 OMP_PLACES=cores OMP_PROC_BIND=close mpirun -n 2 where [--json]

#include <vector>

#include <mpi.h>
#include <omp.h>

#include "paracon/experiments/where.hpp"
#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/mpi.hpp"

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv, MPI_THREAD_FUNNELED);
  if (!mpi.thread_level_ok()) return paracon::exit_usage; // rank 0 has said why
  const int rank = mpi.rank(), ranks = mpi.size();

  paracon::Cli cli("where", "Where every MPI rank and OpenMP thread runs: host, CPU, affinity mask",
                   paracon::Threads::openmp);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  //////////////////////////////////////////////////////////////////////////////////////////
  // Every thread of every rank records where it is
  //////////////////////////////////////////////////////////////////////////////////////////
  const int threads = omp_get_max_threads();
  std::vector<paracon::Placement> mine(threads);
#pragma omp parallel num_threads(threads)
  {
    paracon::Placement& p = mine[omp_get_thread_num()];
    p = paracon::here(); // host, CPU now, affinity mask
    p.rank = rank;
    p.thread = omp_get_thread_num();
    p.threads = omp_get_num_threads();
    p.place = omp_get_place_num();
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Rank 0 collects them: first how many each rank has (MPI_Gather), then the records
  // (MPI_Gatherv), in rank order, with each rank's threads in thread order
  //////////////////////////////////////////////////////////////////////////////////////////
  const paracon::mpi::BytesType<paracon::Placement> placement_type;
  const int my_count = static_cast<int>(mine.size());
  std::vector<int> counts(mpi.root() ? ranks : 0);
  MPI_Gather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  const paracon::mpi::Blocks blocks = paracon::mpi::blocks_of(counts); // where each rank's records go
  std::vector<paracon::Placement> all(static_cast<std::size_t>(blocks.total()));
  MPI_Gatherv(mine.data(), my_count, placement_type, all.data(), blocks.counts.data(), blocks.displacements.data(),
              placement_type, 0, MPI_COMM_WORLD);

  paracon::Report report("where", "hybrid", cli.json());
  if (mpi.root()) {
    paracon::experiments::where::report(report, all, ranks);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
