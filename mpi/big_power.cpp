// big_power (MPI): the notebook's Pool over x**10000000, with the bases dealt to ranks by cost.
//
// Mirrors notebook 001, "Utilizando multiprocess": `pool.map(lambda x: x**10000000, [1..6])`,
// 15.6 s in series and 6.2 s with the Pool. Python's big integers become GMP's mpz_ui_pow_ui.
//
// Teaches static load balance. The powers cost very different amounts (2^e and 4^e are shifts,
// 6^e is the largest), so dealing them out in turn would leave ranks idle. Every rank applies
// the same longest-processing-time rule to the same cost estimates and so knows, without a
// message, which powers are its own. Each rank then reads its powers' facts, and MPI_Gatherv
// collects them on rank 0: the counts differ per rank, and every rank knows them from the rule.
//
// Usage: mpirun -n 2 big_power [--exponent E] [--bases LIST] [--json] [--help]

#include <vector>

#include <mpi.h>

#include "paracon/experiments/big_power.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/system.hpp"

namespace bp = paracon::experiments::big_power;
using paracon::big_power::Facts;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks), deal out the
  // powers, and check that each node can hold what its ranks will compute
  //////////////////////////////////////////////////////////////////////////////////////////
  bp::Options options;
  paracon::Cli cli("big_power", "base^exponent for many bases with GMP, over MPI ranks (mpirun -n RANKS)");
  bp::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;

  //@ task 1: Deal the powers out to the ranks so that the dearest go first, each to the rank
  //@ with the least work so far (owner[i] is the rank that computes base i).
  //@ hint: paracon::lpt_assign(bp::costs(options), ranks): longest processing time first.
  //@ start: const std::vector<int> owner(options.bases.size(), 0); // for now rank 0 computes every power
  const std::vector<int> owner = paracon::lpt_assign(bp::costs(options), ranks);
  //@ end
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < owner.size(); ++i)
    if (owner[i] == rank) mine.push_back(i);

  if (auto why = paracon::mpi::node_memory_refusal("the powers of one node need", bp::bytes_needed(options, mine, 1),
                                                   bp::memory_advice)) {
    if (mpi.root()) paracon::print_error("big_power", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("big_power", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(options.bases.size()) + " powers with exponent " +
                       std::to_string(options.exponent) + ", " + std::to_string(ranks) + " ranks");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: each rank computes its own powers
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<mpz_class> powers(mine.size());
  std::vector<Facts> my_facts(mine.size());
  for (std::size_t k = 0; k < mine.size(); ++k)
    my_facts[k].base = options.bases[mine[k]], my_facts[k].exponent = options.exponent, my_facts[k].worker = rank;
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();
  for (std::size_t k = 0; k < mine.size(); ++k) {
    const double t = MPI_Wtime();
    powers[k] = paracon::big_power::power(options.bases[mine[k]], options.exponent);
    my_facts[k].power_seconds = MPI_Wtime() - t;
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // the slowest rank

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: each rank reads its facts; MPI_Gatherv brings them to rank 0
  //////////////////////////////////////////////////////////////////////////////////////////
  for (std::size_t k = 0; k < mine.size(); ++k) {
    paracon::big_power::read_facts(powers[k], my_facts[k]);
    powers[k] = 0;
  }
  // Every rank knows from the rule how many facts each rank holds, so MPI_Gatherv needs no
  // count from anyone: the facts arrive in rank order, and rank 0 puts each back in base order.
  const paracon::mpi::BytesType<Facts> facts_type;
  const paracon::mpi::Blocks blocks = paracon::mpi::owned_blocks(owner, ranks);
  std::vector<Facts> by_rank(mpi.root() ? owner.size() : 0);
  //@ task 2: Bring every rank's facts to rank 0, in rank order, in one collective call: the
  //@ ranks hold different numbers of them, and every rank knows how many each holds.
  //@ hint: MPI_Gatherv with facts_type, blocks.counts and blocks.displacements.
  //@ start: if (mpi.root()) by_rank = my_facts; // right only while rank 0 computes them all
  MPI_Gatherv(my_facts.data(), blocks.counts[rank], facts_type, by_rank.data(), blocks.counts.data(),
              blocks.displacements.data(), facts_type, 0, MPI_COMM_WORLD);
  //@ end
  const std::vector<Facts> facts = paracon::mpi::in_item_order(by_rank, owner, blocks);
  if (mpi.root()) {
    bp::report(report, options, facts, ranks, "rank", seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
