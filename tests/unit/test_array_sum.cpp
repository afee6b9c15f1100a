// array_sum's kernels against the closed form: every length around the grid's 32 values a step,
// chunk boundaries, and values near 2^63; the materialized fill and sum on the same ranges.
#include <cstdint>

#include <gtest/gtest.h>

#include "paracon/kernels/array_sum.hpp"
#include "paracon/kernels/range_sum.hpp"

namespace arrays = paracon::array_sum;

TEST(ArraySum, LazySumIsExactForEveryLengthAndPlace) {
  for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1} << 32, (std::uint64_t{1} << 62) + 5,
                              (std::uint64_t{1} << 63) - 200})
    for (std::uint64_t length : {0u, 1u, 15u, 16u, 31u, 32u, 33u, 63u, 64u, 65u, 100u, 191u})
      EXPECT_EQ(arrays::sum_lazy(first, first + length), paracon::range_sum_closed_form(first, first + length))
          << first << " + " << length;
  // Across chunks: 2^32 + 1 values from 0, where the sum passes 2^63.
  EXPECT_EQ(arrays::sum_lazy(0, (std::uint64_t{1} << 32) + 1),
            paracon::range_sum_closed_form(0, (std::uint64_t{1} << 32) + 1));
}

TEST(ArraySum, MaterializedFillAndSumAreExact) {
  for (std::uint64_t count : {0u, 1u, 33u, 1000003u}) {
    arrays::Buffer buffer(count);
    auto slice = buffer.slice(0, count);
    arrays::fill(slice, 11);
    EXPECT_EQ(arrays::sum_materialized(slice, 11), paracon::range_sum_closed_form(11, 11 + count)) << count;
  }
}
