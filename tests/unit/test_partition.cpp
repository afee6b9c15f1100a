// Blocks tile the range exactly, sizes differ by at most one, whatever the worker count.
#include <gtest/gtest.h>

#include "paracon/partition.hpp"

using paracon::block;
using paracon::Range;

TEST(Partition, TilesEveryRangeForEveryWorkerCount) {
  for (std::uint64_t begin : {0ull, 5ull, (1ull << 63) - 100})
    for (std::uint64_t size = 0; size <= 40; ++size)
      for (std::uint64_t parts = 1; parts <= 12; ++parts) {
        const Range whole{begin, begin + size};
        std::uint64_t next = whole.begin, smallest = size, largest = 0;
        for (std::uint64_t k = 0; k < parts; ++k) {
          const Range r = block(whole, parts, k);
          ASSERT_EQ(r.begin, next) << size << " over " << parts;
          ASSERT_LE(r.begin, r.end);
          smallest = std::min(smallest, r.size());
          largest = std::max(largest, r.size());
          next = r.end;
        }
        EXPECT_EQ(next, whole.end);
        EXPECT_LE(largest - smallest, 1u);
      }
}

TEST(Partition, UnevenSizesGiveTheExtraItemsToTheFirstBlocks) {
  EXPECT_EQ(block({0, 10}, 3, 0), (Range{0, 4}));
  EXPECT_EQ(block({0, 10}, 3, 1), (Range{4, 7}));
  EXPECT_EQ(block({0, 10}, 3, 2), (Range{7, 10}));
}

TEST(Partition, MoreWorkersThanItemsLeavesSomeEmpty) {
  EXPECT_EQ(block({0, 2}, 4, 0), (Range{0, 1}));
  EXPECT_EQ(block({0, 2}, 4, 1), (Range{1, 2}));
  EXPECT_EQ(block({0, 2}, 4, 2), (Range{2, 2}));
  EXPECT_EQ(block({0, 2}, 4, 3), (Range{2, 2}));
  EXPECT_EQ(block({0, 0}, 3, 1).size(), 0u);
}

TEST(Partition, LargestRangesDoNotOverflow) {
  const Range whole{0, 1ull << 63};
  EXPECT_EQ(block(whole, 3, 0).begin, 0u);
  EXPECT_EQ(block(whole, 3, 2).end, 1ull << 63);
  EXPECT_EQ(block(whole, 3, 0).size() + block(whole, 3, 1).size() + block(whole, 3, 2).size(), 1ull << 63);
}
