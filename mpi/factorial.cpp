// factorial (MPI): the "loop that cannot be parallelised" is a reduction after all.
//
// Mirrors notebook 001, "Nem todos os loops podem ser paralelos": `for x in minha_lista:
// fatorial *= x`, which the notebook says cannot run in parallel.
//
// Teaches that a product is a reduction, and how to reduce values whose size MPI cannot know
// in advance. Each rank multiplies its block of 1..N as a balanced product tree. The partial
// products then meet in a binomial tree of point-to-point messages: at step s, the ranks with
// bit s set send their product to rank - s and stop, the others receive and multiply. Why not
// MPI_Reduce with a user-defined MPI_Op? An MPI_Op works on fixed-size elements, so every
// buffer would have to be as large as the final N!, sent whole at every level; in the tree
// each message carries a partial product at its real size (MPI_Probe tells the receiver), and
// each multiplication joins two numbers of similar size, which GMP does fastest.
// Then a recurrence that really cannot be split: ranks that each start their block of steps
// from x_0 get a wrong answer, which the program shows.
//
// Usage: mpirun -n 2 factorial [N] [--steps K] [--loop] [--json] [--help]

#include <vector>

#include <mpi.h>

#include "paracon/experiments/factorial.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace fe = paracon::experiments::factorial;
namespace fac = paracon::factorial;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Options options;
  paracon::Cli cli("factorial", "N! as a parallel product reduction with GMP, over MPI ranks");
  fe::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  if (auto why = paracon::mpi::node_memory_refusal(std::to_string(options.n) + "! needs about",
                                                   fe::bytes_needed(options, ranks, mpi.root()), fe::memory_advice)) {
    if (mpi.root()) paracon::print_error("factorial", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("factorial", "mpi", cli.json());
  if (mpi.root()) report.print_title(std::to_string(options.n) + "!, " + std::to_string(ranks) + " ranks");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: every rank's block as a product tree, then the tree of messages
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();
  const auto part = paracon::block({1, options.n + 1}, ranks, rank);
  mpz_class value = fac::tree_product(part.begin, part.end);
  for (int s = 1; s < ranks; s <<= 1) {
    if (rank & s) { // my product goes to my partner, as 64-bit words, and I am done
      const std::vector<std::uint64_t> words = paracon::mpi::to_words(value);
      MPI_Send(words.data(), static_cast<int>(words.size()), MPI_UINT64_T, rank - s, /*tag=*/s, MPI_COMM_WORLD);
      break;
    }
    if (rank + s < ranks) { // my partner's product: its size is in the message, so probe first
      MPI_Status status;
      MPI_Probe(rank + s, /*tag=*/s, MPI_COMM_WORLD, &status);
      int count = 0;
      MPI_Get_count(&status, MPI_UINT64_T, &count);
      std::vector<std::uint64_t> words(static_cast<std::size_t>(count));
      MPI_Recv(words.data(), count, MPI_UINT64_T, rank + s, /*tag=*/s, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      value *= paracon::mpi::from_words(words);
    }
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // rank 0 holds N!

  // For comparison, untimed: the notebook's loop, on rank 0 alone.
  double loop_seconds = -1;
  bool loop_agrees = true;
  if (options.loop && mpi.root()) {
    const double t = MPI_Wtime();
    loop_agrees = fac::loop_product(1, options.n + 1) == value;
    loop_seconds = MPI_Wtime() - t;
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // A recurrence that cannot be split: in order on rank 0, then naively over the ranks
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Recurrence recurrence;
  if (mpi.root()) recurrence.serial = fac::iterate(2, options.steps);
  // The mistake: each rank runs its block of steps, but starting from x_0, because the value
  // its predecessor will end with does not exist yet. The last rank's value is the "answer".
  const auto steps = paracon::block({0, options.steps}, ranks, rank);
  recurrence.naive = fac::iterate(2, steps.size());
  MPI_Bcast(&recurrence.naive, 1, MPI_UINT64_T, ranks - 1, MPI_COMM_WORLD);
  recurrence.last_block = paracon::block({0, options.steps}, ranks, ranks - 1).size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report (rank 0 checks; every rank returns the same verdict)
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    fe::report(report, options, value, ranks, seconds, loop_seconds, recurrence);
    if (!loop_agrees) report.verdict(false, "the notebook's loop and the reduction differ");
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
