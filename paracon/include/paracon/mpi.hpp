// MPI plumbing: the session (initialise with the thread level the program needs, refuse to
// run below it, finalise), the 128-bit sum MPI lacks, and the verdict and time that every
// rank must agree on. The communication that a lesson is about stays in the program file.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include <gmpxx.h>
#include <mpi.h>

#include "paracon/exact.hpp"

namespace paracon::mpi {

class Session {
public:
  // MPI_Init_thread asking for `required` (MPI_THREAD_SINGLE for pure MPI programs,
  // MPI_THREAD_FUNNELED or more for hybrid ones). Check thread_level_ok() before going on.
  // PARACON_MPI_THREAD_LIMIT=single|funneled|serialized|multiple caps what the session
  // accepts, to see the refusal with an MPI library that provides every level.
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

// Items dealt out by `owner` (item i belongs to rank owner[i]) come back to `root` in item
// order: each rank passes its own results in item order, MPI_Gatherv collects them (the
// counts differ per rank, and every rank knows them from `owner`), and root puts them back
// where they belong. Other ranks get an empty vector.
template <class T>
std::vector<T> gather_by_owner(const std::vector<T>& mine, const std::vector<int>& owner, int root = 0,
                               MPI_Comm comm = MPI_COMM_WORLD) {
  static_assert(std::is_trivially_copyable_v<T>, "gathered as bytes");
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  std::vector<int> counts(ranks, 0), displacements(ranks, 0);
  for (int r : owner) counts[r] += static_cast<int>(sizeof(T));
  for (int r = 1; r < ranks; ++r) displacements[r] = displacements[r - 1] + counts[r - 1];
  std::vector<T> by_rank(rank == root ? owner.size() : 0);
  MPI_Gatherv(mine.data(), static_cast<int>(mine.size() * sizeof(T)), MPI_BYTE, by_rank.data(), counts.data(),
              displacements.data(), MPI_BYTE, root, comm);
  if (rank != root) return {};
  std::vector<T> in_order(owner.size());
  std::vector<int> next(displacements); // where each rank's next item sits, in bytes
  for (std::size_t i = 0; i < owner.size(); ++i) {
    in_order[i] = by_rank[next[owner[i]] / sizeof(T)];
    next[owner[i]] += static_cast<int>(sizeof(T));
  }
  return in_order;
}

// A GMP integer of any size, as 64-bit limbs: MPI_Send, and MPI_Probe + MPI_Get_count +
// MPI_Recv, so the receiver learns the size from the message itself.
void send_mpz(const mpz_class& value, int destination, int tag, MPI_Comm comm = MPI_COMM_WORLD);
mpz_class receive_mpz(int source, int tag, MPI_Comm comm = MPI_COMM_WORLD);

} // namespace paracon::mpi
