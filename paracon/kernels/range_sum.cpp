#include "paracon/kernels/range_sum.hpp"

#include <algorithm>
#include <bit>

// Function multi-versioning: an AVX2 copy and a baseline x86-64 copy of the loop, chosen at
// load time by the CPU the program runs on. A binary built on a login node therefore uses
// AVX2 where the compute node has it and still runs where it does not. Not under the sanitizers:
// the choosing function (an ifunc resolver) runs before they are set up.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PARACON_NO_MULTIVERSION
#endif
#endif
#if defined(__x86_64__) && defined(__ELF__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) &&      \
    !defined(PARACON_NO_MULTIVERSION)
#define PARACON_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define PARACON_MULTIVERSION
#endif

namespace paracon {
namespace {

// Four 64-bit lanes: one AVX2 register, or two SSE2 registers on a baseline CPU. GCC's and
// Clang's vector extension, so the loop below vectorizes by construction, and the compiler
// cannot replace it with the closed form (Clang does that to a plain `s += i` loop).
using u64x4 = std::uint64_t __attribute__((vector_size(32)));

PARACON_MULTIVERSION std::uint64_t lane_sum(std::uint64_t begin, std::uint64_t end) {
  // Four independent accumulators keep several additions in flight per cycle.
  constexpr int accumulators = 4;
  constexpr std::uint64_t step = 4 * accumulators;
  u64x4 sum[accumulators] = {};
  u64x4 value[accumulators];
  for (int a = 0; a < accumulators; ++a)
    for (int lane = 0; lane < 4; ++lane) value[a][lane] = begin + 4 * a + lane;
  const u64x4 advance = {step, step, step, step};

  std::uint64_t i = begin;
  for (; end - i >= step; i += step)
    for (int a = 0; a < accumulators; ++a) {
      sum[a] += value[a];
      value[a] += advance;
    }
  u64x4 lanes = {};
  for (int a = 0; a < accumulators; ++a) lanes += sum[a];
  std::uint64_t total = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < end; ++i) total += i; // the last few values
  return total;
}

} // namespace

std::uint64_t exact_chunk_length(std::uint64_t begin) {
  // With begin < 2^(w-1) and at most 2^(64-w) values, every value is below 2^w, so the chunk
  // sums to less than 2^(64-w) * 2^w = 2^64. w >= 33 keeps chunks at 2^31 values at most.
  const int w = std::max(static_cast<int>(std::bit_width(begin)) + 1, 33);
  return std::uint64_t{1} << (64 - w);
}

u128 range_sum(std::uint64_t begin, std::uint64_t end) {
  u128 total = 0;
  while (begin < end) {
    const std::uint64_t stop = begin + std::min(exact_chunk_length(begin), end - begin);
    total += lane_sum(begin, stop);
    begin = stop;
  }
  return total;
}

std::uint64_t range_sum_wrapping(std::uint64_t begin, std::uint64_t end) {
  return begin < end ? lane_sum(begin, end) : 0;
}

} // namespace paracon
