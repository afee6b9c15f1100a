// MPI plumbing: the session (initialise with the thread level the program needs, refuse to
// run below it, finalise), the 128-bit sum MPI lacks, and the verdict and time that every
// rank must agree on. The communication that a lesson is about stays in the program file.
#pragma once

#include <string>

#include <gmpxx.h>
#include <mpi.h>

#include "paracon/exact.hpp"

namespace paracon::mpi {

class Session {
public:
  // MPI_Init_thread asking for `required` (MPI_THREAD_SINGLE for pure MPI programs,
  // MPI_THREAD_FUNNELED or more for hybrid ones). Check thread_level_ok() before going on.
  Session(int& argc, char**& argv, int required = MPI_THREAD_SINGLE);
  ~Session(); // frees what it created, then MPI_Finalize
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  int provided() const { return provided_; }
  // False when MPI gave less than the required thread level; rank 0 has said so on stderr.
  bool thread_level_ok() const { return provided_ >= required_; }

  // 16 contiguous bytes holding a u128, and the MPI_Op that adds them (MPI has no 128-bit
  // integer type): for MPI_Reduce of exact sums.
  MPI_Datatype u128_type() const { return u128_type_; }
  MPI_Op u128_sum() const { return u128_sum_; }

private:
  int required_, provided_ = MPI_THREAD_SINGLE;
  int rank_ = 0, size_ = 1;
  MPI_Datatype u128_type_ = MPI_DATATYPE_NULL;
  MPI_Op u128_sum_ = MPI_OP_NULL;
};

// The name of a thread level, as in the MPI standard ("MPI_THREAD_FUNNELED").
std::string thread_level_name(int level);

// True on every rank when `mine` is true on every rank: one verdict, one exit code.
bool all_ranks(bool mine, MPI_Comm comm = MPI_COMM_WORLD);

// The slowest rank's time, known on every rank: a parallel run takes as long as its last rank.
double max_over_ranks(double seconds, MPI_Comm comm = MPI_COMM_WORLD);

// The sum of `mine` over the ranks that share this rank's node (MPI_COMM_TYPE_SHARED): what the
// ranks of one machine need of its memory together.
std::uint64_t sum_on_node(std::uint64_t mine, MPI_Comm comm = MPI_COMM_WORLD);

// A GMP integer of any size, as 64-bit limbs: MPI_Send, and MPI_Probe + MPI_Get_count +
// MPI_Recv, so the receiver learns the size from the message itself.
void send_mpz(const mpz_class& value, int destination, int tag, MPI_Comm comm = MPI_COMM_WORLD);
mpz_class receive_mpz(int source, int tag, MPI_Comm comm = MPI_COMM_WORLD);

} // namespace paracon::mpi
