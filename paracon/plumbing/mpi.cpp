#include "paracon/plumbing/mpi.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/system.hpp"

namespace paracon::mpi {
namespace {

std::string program_name(const char* path) {
  const std::string p = path;
  return p.substr(p.find_last_of('/') + 1);
}

// MPI_User_function adding u128 values; memcpy because MPI buffers carry no alignment promise.
void add_u128(void* in, void* inout, int* count, MPI_Datatype*) {
  auto* a = static_cast<const unsigned char*>(in);
  auto* b = static_cast<unsigned char*>(inout);
  for (int k = 0; k < *count; ++k, a += sizeof(u128), b += sizeof(u128)) {
    u128 x, y;
    std::memcpy(&x, a, sizeof x);
    std::memcpy(&y, b, sizeof y);
    y += x;
    std::memcpy(b, &y, sizeof y);
  }
}

} // namespace

Session::Session(int& argc, char**& argv, int required) : required_(required) {
  MPI_Init_thread(&argc, &argv, required_, &provided_);
  if (const char* limit = std::getenv("PARACON_MPI_THREAD_LIMIT")) {
    const std::string name = limit;
    const int cap = name == "single"       ? MPI_THREAD_SINGLE
                    : name == "funneled"   ? MPI_THREAD_FUNNELED
                    : name == "serialized" ? MPI_THREAD_SERIALIZED
                                           : MPI_THREAD_MULTIPLE;
    provided_ = std::min(provided_, cap);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Type_contiguous(sizeof(u128), MPI_BYTE, &u128_type_);
  MPI_Type_commit(&u128_type_);
  MPI_Op_create(add_u128, /*commute=*/1, &u128_sum_);
  if (!thread_level_ok() && root())
    std::fprintf(stderr, "%s: error: this program needs %s but the MPI library provides only %s\n",
                 argc > 0 ? program_name(argv[0]).c_str() : "program", thread_level_name(required_).c_str(),
                 thread_level_name(provided_).c_str());
}

Session::~Session() {
  MPI_Op_free(&u128_sum_);
  MPI_Type_free(&u128_type_);
  MPI_Finalize();
}

std::string thread_level_name(int level) {
  switch (level) {
  case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
  case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
  case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
  case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
  default: return "thread level " + std::to_string(level);
  }
}

bool all_ranks(bool mine, MPI_Comm comm) {
  int ok = mine ? 1 : 0, all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, comm);
  return all != 0;
}

double max_over_ranks(double seconds, MPI_Comm comm) {
  double slowest = 0;
  MPI_Allreduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm);
  return slowest;
}

std::optional<std::string> node_memory_refusal(const std::string& what, std::uint64_t mine, const std::string& advice,
                                               MPI_Comm comm) {
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  std::uint64_t node_needs = 0;
  MPI_Allreduce(&mine, &node_needs, 1, MPI_UINT64_T, MPI_SUM, node);
  MPI_Comm_free(&node);
  const auto why = memory_refusal(what, static_cast<double>(node_needs), available_memory(), advice);
  if (all_ranks(!why, comm)) return std::nullopt;
  return why.value_or("another node lacks the memory for its part (" + advice + ")");
}

Blocks even_blocks(std::uint64_t n, int ranks) {
  std::vector<int> counts(ranks);
  for (int r = 0; r < ranks; ++r) counts[r] = static_cast<int>(block({0, n}, ranks, r).size());
  return blocks_of(std::move(counts));
}

Blocks blocks_of(std::vector<int> counts) {
  Blocks b{std::move(counts), {}};
  b.displacements.assign(b.counts.size(), 0);
  for (std::size_t r = 1; r < b.counts.size(); ++r) b.displacements[r] = b.displacements[r - 1] + b.counts[r - 1];
  return b;
}

Blocks owned_blocks(const std::vector<int>& owner, int ranks) {
  std::vector<int> counts(ranks, 0);
  for (int r : owner) ++counts[r];
  return blocks_of(std::move(counts));
}

std::vector<std::uint64_t> to_words(const mpz_class& value) {
  std::vector<std::uint64_t> words((mpz_sizeinbase(value.get_mpz_t(), 2) + 63) / 64);
  std::size_t count = 0;
  mpz_export(words.data(), &count, -1, sizeof(std::uint64_t), 0, 0, value.get_mpz_t());
  words.resize(count); // zero has no words
  return words;
}

mpz_class from_words(const std::vector<std::uint64_t>& words) {
  mpz_class value;
  mpz_import(value.get_mpz_t(), words.size(), -1, sizeof(std::uint64_t), 0, 0, words.data());
  return value;
}

} // namespace paracon::mpi
