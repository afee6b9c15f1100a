// big_power (hybrid MPI + OpenMP): many powers over ranks, each rank's share over its threads.
//
// Mirrors notebook 001, "Utilizando multiprocess" (`pool.map(lambda x: x**10000000, ...)`),
// grown to a cluster's size: many bases, exponents up to 10^9, results of hundreds of megabytes.
//
// Teaches balance at two levels. Between ranks, every rank applies the same
// longest-processing-time rule to the same cost estimates, so each knows its powers without a
// message. Inside a rank, `schedule(monotonic : dynamic, 1)` over its powers, largest first, hands each
// free thread the largest one left. Only the main thread calls MPI (MPI_THREAD_FUNNELED, asked
// for and checked). Memory is checked per node before any work: the powers a node's ranks
// hold, plus one temporary per thread.
//
// Usage: OMP_NUM_THREADS=2 mpirun -n 2 big_power [--exponent E] [--bases LIST] [--json]

#include <vector>

#include <mpi.h>
#include <omp.h>

#include "paracon/experiments/big_power.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/system.hpp"

namespace bp = paracon::experiments::big_power;
using paracon::big_power::Facts;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv, MPI_THREAD_FUNNELED); // threads inside; MPI from the main one
  if (!mpi.thread_level_ok()) return paracon::exit_usage;     // rank 0 has said why
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters, deal out the powers, check each node's memory
  //////////////////////////////////////////////////////////////////////////////////////////
  bp::Options options;
  paracon::Cli cli("big_power", "base^exponent for many bases with GMP, over MPI ranks and their OpenMP threads",
                   paracon::Threads::openmp);
  bp::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  const int threads = omp_get_max_threads();
  const std::vector<double> costs = bp::costs(options);
  //@ task 1: Between ranks: deal the powers out, the dearest first, each to the rank with the
  //@ least work so far.
  //@ hint: paracon::lpt_assign(costs, ranks).
  //@ start: const std::vector<int> owner(costs.size(), 0); // for now rank 0 computes every power
  const std::vector<int> owner = paracon::lpt_assign(costs, ranks);
  //@ end
  const std::vector<std::size_t> largest = paracon::largest_first(costs);
  std::vector<std::size_t> mine; // this rank's powers, largest first
  for (std::size_t i : largest)
    if (owner[i] == rank) mine.push_back(i);

  if (auto why = paracon::mpi::node_memory_refusal("the powers of one node need",
                                                   bp::bytes_needed(options, mine, threads), bp::memory_advice)) {
    if (mpi.root()) paracon::print_error("big_power", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("big_power", "hybrid", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(options.bases.size()) + " powers with exponent " +
                       std::to_string(options.exponent) + ", " + std::to_string(ranks) + " ranks x " +
                       std::to_string(threads) + " threads");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: each rank's threads take its powers, largest first
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<mpz_class> powers(mine.size());
  std::vector<Facts> my_facts(mine.size());
  for (std::size_t k = 0; k < mine.size(); ++k)
    my_facts[k].base = options.bases[mine[k]], my_facts[k].exponent = options.exponent, my_facts[k].worker = rank;
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();
  //@ task 2: Inside the rank: its threads take its powers, one at a time to whichever is free,
  //@ in the order of `mine` (largest first).
  //@ hint: schedule(monotonic : dynamic, 1).
#pragma omp parallel for schedule(monotonic : dynamic, 1) num_threads(threads)
  //@ end
  for (std::size_t k = 0; k < mine.size(); ++k) {
    const double t = omp_get_wtime();
    powers[k] = paracon::big_power::power(options.bases[mine[k]], options.exponent);
    my_facts[k].power_seconds = omp_get_wtime() - t;
    my_facts[k].thread = omp_get_thread_num();
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // the slowest rank

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: facts read in parallel, then to rank 0 (MPI_Gatherv) in base order
  //////////////////////////////////////////////////////////////////////////////////////////
  //@ task 3: The facts of the rank's powers, read by its threads the same way.
#pragma omp parallel for schedule(monotonic : dynamic, 1) num_threads(threads)
  //@ end
  for (std::size_t k = 0; k < mine.size(); ++k) {
    paracon::big_power::read_facts(powers[k], my_facts[k]);
    powers[k] = 0;
  }
  // Each rank sends its facts in the order it took them (largest first); every rank knows the
  // counts from the rule, and rank 0 walks the same largest-first order to put each back.
  const paracon::mpi::BytesType<Facts> facts_type;
  const paracon::mpi::Blocks blocks = paracon::mpi::owned_blocks(owner, ranks);
  std::vector<Facts> by_rank(mpi.root() ? owner.size() : 0);
  //@ task 4: Between ranks: every rank's facts to rank 0 in one collective call, from the main
  //@ thread.
  //@ hint: MPI_Gatherv with facts_type, blocks.counts and blocks.displacements.
  //@ start: if (mpi.root()) by_rank = my_facts; // right only while rank 0 computes them all
  MPI_Gatherv(my_facts.data(), blocks.counts[rank], facts_type, by_rank.data(), blocks.counts.data(),
              blocks.displacements.data(), facts_type, 0, MPI_COMM_WORLD);
  //@ end
  const std::vector<Facts> facts = paracon::mpi::in_item_order(by_rank, owner, blocks, largest);

  if (mpi.root()) {
    report.add("ranks", ranks).add("threads", threads, "threads per rank");
    bp::report(report, options, facts, ranks * threads, "rank", seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
