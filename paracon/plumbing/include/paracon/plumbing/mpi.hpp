// MPI plumbing: the session (initialise with the thread level the program needs, refuse to
// run below it, finalise), the 128-bit sum MPI lacks, and the verdict and time that every
// rank must agree on. The communication that a lesson is about stays in the program file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <gmpxx.h>
#include <mpi.h>

#include "paracon/kernels/exact.hpp"

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

// What the ranks of each node need of its memory together (each gives `mine`; they are summed
// over MPI_COMM_TYPE_SHARED) against that node's usable memory, with one verdict for every rank:
// the refusal, on every rank (a node's own reason, or that another node lacks the memory), or
// nothing. The caller's root prints it and every rank exits with 2.
std::optional<std::string> node_memory_refusal(const std::string& what, std::uint64_t mine, const std::string& advice,
                                               MPI_Comm comm = MPI_COMM_WORLD);

// Counts and displacements of the *v collectives (MPI_Scatterv, MPI_Gatherv, MPI_Igatherv):
// how many elements each rank holds, and where its block starts in the whole.
struct Blocks {
  std::vector<int> counts, displacements;
  int total() const { return counts.empty() ? 0 : displacements.back() + counts.back(); }
};
// [0, n) in rank order, in blocks whose sizes differ by at most one (paracon::block).
Blocks even_blocks(std::uint64_t n, int ranks);
// Blocks of the given sizes, one after the other: displacements are the counts' exclusive scan.
Blocks blocks_of(std::vector<int> counts);
// Items dealt by `owner` (item i belongs to rank owner[i]): each rank holds as many as it owns.
Blocks owned_blocks(const std::vector<int>& owner, int ranks);

// Items dealt by `owner` and gathered in rank order (each rank sent its own items in the order
// `order` lists them), back in item order: what root does after an MPI_Gatherv by
// owned_blocks. `order` empty means 0, 1, 2, ... Ranks that received nothing get nothing.
template <class T> std::vector<T> in_item_order(const std::vector<T>& by_rank, const std::vector<int>& owner,
                                                const Blocks& blocks, const std::vector<std::size_t>& order = {}) {
  if (by_rank.size() < owner.size()) return {};
  std::vector<T> in_order(owner.size());
  std::vector<int> next = blocks.displacements; // where each rank's next item sits in by_rank
  for (std::size_t k = 0; k < owner.size(); ++k) {
    const std::size_t i = order.empty() ? k : order[k];
    in_order[i] = by_rank[static_cast<std::size_t>(next[owner[i]]++)];
  }
  return in_order;
}

// An MPI datatype for a trivially copyable struct, sent as its bytes (every rank runs the same
// binary, so the layout is the same everywhere). Committed on construction, freed on
// destruction.
template <class T> class BytesType {
  static_assert(std::is_trivially_copyable_v<T>, "sent as bytes");

public:
  BytesType() {
    MPI_Type_contiguous(static_cast<int>(sizeof(T)), MPI_BYTE, &type_);
    MPI_Type_commit(&type_);
  }
  ~BytesType() { MPI_Type_free(&type_); }
  BytesType(const BytesType&) = delete;
  BytesType& operator=(const BytesType&) = delete;
  operator MPI_Datatype() const { return type_; }

private:
  MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

// A GMP integer as 64-bit words, least significant first, and back: the form in which a number
// of any size travels in an MPI message of MPI_UINT64_T.
std::vector<std::uint64_t> to_words(const mpz_class& value);
mpz_class from_words(const std::vector<std::uint64_t>& words);

} // namespace paracon::mpi
