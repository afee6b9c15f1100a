// The range-sum kernel of notebook 000 (`sum(range(0, size))`), once for every program.
#pragma once

#include <cstdint>

#include "paracon/kernels/exact.hpp"

namespace paracon {

// Exact sum of begin, begin+1, ..., end-1, for any end <= 2^63. Every value is really
// added: the range is cut into chunks whose 64-bit sum provably cannot overflow, each chunk
// is summed in SIMD lanes, and the chunk sums meet in a 128-bit total.
u128 range_sum(std::uint64_t begin, std::uint64_t end);

// The same SIMD loop over the whole range with no chunking: the sum modulo 2^64, wrong once
// it passes 2^64 (numpy's int64 goes wrong earlier, at 2^63). For comparison and benchmarks.
std::uint64_t range_sum_wrapping(std::uint64_t begin, std::uint64_t end);

// Length of the chunk that starts at `begin`: the most values whose 64-bit sum cannot
// overflow, a power of two between 1 (near 2^63) and 2^31 (below 2^32).
std::uint64_t exact_chunk_length(std::uint64_t begin);

// The closed form (end - begin)(begin + end - 1) / 2, the independent check of range_sum.
constexpr u128 range_sum_closed_form(std::uint64_t begin, std::uint64_t end) {
  if (end <= begin) return 0;
  const u128 count = end - begin, first_plus_last = u128{begin} + end - 1;
  return count * first_plus_last / 2; // one factor is even: exact
}

} // namespace paracon
