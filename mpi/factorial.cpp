// factorial (MPI): the "loop that cannot be parallelised" is a reduction after all.
//
// Mirrors notebook 001, "Nem todos os loops podem ser paralelos": `for x in minha_lista:
// fatorial *= x`, which the notebook says cannot run in parallel.
//
// Teaches that a product is a reduction, and how to reduce values whose size MPI cannot know
// in advance. N! is the product of its prime factors (Legendre's formula gives each prime's
// exponent; every rank computes them alike); the ranks take the primes in turn, and each
// multiplies the powers of its share. The shares then meet in a binomial tree of point-to-point
// messages: at step s, the ranks with bit s set send their product to rank - s and stop, the
// others receive and multiply. Why not MPI_Reduce with a user-defined MPI_Op? An MPI_Op works on
// fixed-size elements, so every buffer would have to be as large as the final N!, sent whole at
// every level; in the tree each message carries a partial product at its real size (MPI_Probe
// tells the receiver). The tree's last step is the largest multiplication, two numbers of half
// N!'s size, the serial part Amdahl's law names: the two ranks that meet there share it. The
// partner sends the high half of its product and gets rank 0's; each multiplies rank 0's product
// by one half, and the partner's result comes back to rank 0 (MPI_Isend, so that neither waits
// for the other to receive first). Then a recurrence that really cannot be split: ranks that
// each start their block of steps from x_0 get a wrong answer, which the program shows.
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

  // A GMP integer of any size travels as 64-bit words; the receiver learns the size from the
  // message itself, by probing it before receiving it.
  const auto send = [](const mpz_class& value, int to, int tag, MPI_Request* request,
                       std::vector<std::uint64_t>& words) {
    words = paracon::mpi::to_words(value);
    MPI_Isend(words.data(), static_cast<int>(words.size()), MPI_UINT64_T, to, tag, MPI_COMM_WORLD, request);
  };
  const auto receive = [](int from, int tag) {
    MPI_Status status;
    MPI_Probe(from, tag, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    std::vector<std::uint64_t> words(static_cast<std::size_t>(count));
    MPI_Recv(words.data(), count, MPI_UINT64_T, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return paracon::mpi::from_words(words);
  };

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: the primes and their exponents, every rank's share of their powers, the
  // tree of messages, and its last step shared by the two ranks that meet there
  //////////////////////////////////////////////////////////////////////////////////////////
  fe::Timing timing;
  MPI_Barrier(MPI_COMM_WORLD); // start every rank's clock together
  const double start = MPI_Wtime();
  const fac::PrimeExponents legendre = fac::prime_exponents(options.n);
  int last = 1; // the last step: rank 0 and rank `last`, the largest power of two below `ranks`
  while (last * 2 < ranks) last *= 2;
  //@ task 1: Let each rank multiply the powers of its share of the primes
  //@ (fac::share_product(legendre, rank, ranks)), then bring the products together along a
  //@ binomial tree: at step s = 1, 2, 4, ... below `last`, a rank with bit s set sends its
  //@ product to rank - s and is done; the others multiply in what rank + s sends, if it exists.
  //@ hint: the lambdas above send and receive a GMP integer of any size (MPI_Isend; MPI_Probe, MPI_Get_count, MPI_Recv).
  //@ start: mpz_class value = mpi.root() ? fac::share_product(legendre, 0, 1) : mpz_class(1); // rank 0 alone, for now
  mpz_class value = fac::share_product(legendre, rank, ranks);
  for (int s = 1; s < last; s <<= 1) {
    if (rank & s) { // my product goes to my partner, and I am done
      std::vector<std::uint64_t> words;
      MPI_Request sent;
      send(value, rank - s, /*tag=*/s, &sent, words);
      MPI_Wait(&sent, MPI_STATUS_IGNORE);
      break;
    }
    if (rank + s < ranks) value *= receive(rank + s, /*tag=*/s); // my partner's product
  }
  //@ end
  const double last_start = MPI_Wtime();
  //@ task 2: The last step, left x right on rank 0, is the serial part Amdahl's law names. Share
  //@ it: rank `last` cuts its product in two halves (fac::halve), sends rank 0 the high half and
  //@ the shift, receives rank 0's product and multiplies it by its low half, and sends that
  //@ back; rank 0 multiplies its product by the high half meanwhile, and rejoins the two.
  //@ hint: tags keep the four messages apart; every MPI_Isend ends with its MPI_Wait.
  if (ranks > 1 && (rank == 0 || rank == last)) {
    enum Tag { whole = 1 << 20, high_half, low_product, shift };
    std::vector<std::uint64_t> words;
    MPI_Request sent;
    if (rank == last) { // my high half to rank 0, rank 0's product to me; I multiply it by my low half
      const fac::Halves halves = fac::halve(value);
      send(halves.high, 0, high_half, &sent, words);
      MPI_Send(&halves.shift, 1, MPI_UINT64_T, 0, shift, MPI_COMM_WORLD);
      const mpz_class product_of_rank_0 = receive(0, whole);
      MPI_Wait(&sent, MPI_STATUS_IGNORE);
      const mpz_class low = product_of_rank_0 * halves.low;
      send(low, 0, low_product, &sent, words);
      MPI_Wait(&sent, MPI_STATUS_IGNORE);
    } else { // rank 0: my product to my partner; I multiply it by the partner's high half
      send(value, last, whole, &sent, words);
      std::uint64_t shifted = 0;
      const mpz_class high = value * receive(last, high_half);
      MPI_Recv(&shifted, 1, MPI_UINT64_T, last, shift, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      value = fac::rejoin(high, receive(last, low_product), shifted);
      MPI_Wait(&sent, MPI_STATUS_IGNORE);
    }
  }
  //@ end
  if (mpi.root()) value <<= legendre.twos; // and N!'s factors 2: a shift
  timing.last_seconds = MPI_Wtime() - last_start;
  timing.seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start); // rank 0 holds N!

  // For comparison, untimed: the notebook's loop, on rank 0 alone.
  if (options.loop && mpi.root()) {
    const double t = MPI_Wtime();
    timing.loop_agrees = fac::loop_product(1, options.n + 1) == value;
    timing.loop_seconds = MPI_Wtime() - t;
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
    fe::report(report, options, value, ranks, timing, recurrence);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
