// Blocks tile the range exactly, sizes differ by at most one, whatever the worker count.
#include <gtest/gtest.h>

#include "paracon/kernels/partition.hpp"

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

TEST(Schedule, LargestFirstGoesToTheLeastLoadedWorker) {
  // The notebook's powers, roughly: 1^e and 2^e cost nothing, 5^e the most.
  const std::vector<double> costs{0, 0, 1.6, 0, 2.3, 1.6};
  EXPECT_EQ(paracon::largest_first(costs), (std::vector<std::size_t>{4, 2, 5, 0, 1, 3}));
  const auto owner = paracon::lpt_assign(costs, 2);
  EXPECT_EQ(owner[4], 0); // the largest to worker 0
  EXPECT_EQ(owner[2], 1); // the next to the idle worker
  EXPECT_EQ(owner[5], 1); // then to the least loaded (1.6 < 2.3)
  EXPECT_EQ(paracon::lpt_assign(costs, 1), std::vector<int>(6, 0));
  for (int o : paracon::lpt_assign(costs, 8)) EXPECT_LT(o, 8);
}

TEST(Schedule, DynamicMakespanOfTheSleepList) {
  // dormir(1..4): 10 s in series; static halves on 2 workers give 7, dynamic in order 6,
  // longest first 5, which is the best possible (total / 2).
  const std::vector<double> sleeps{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(paracon::dynamic_makespan(sleeps, {0, 1, 2, 3}, 1), 10);
  EXPECT_DOUBLE_EQ(paracon::dynamic_makespan(sleeps, {0, 1, 2, 3}, 2), 6);
  EXPECT_DOUBLE_EQ(paracon::dynamic_makespan(sleeps, paracon::largest_first(sleeps), 2), 5);
  EXPECT_DOUBLE_EQ(paracon::dynamic_makespan(sleeps, {0, 1, 2, 3}, 4), 4);
  EXPECT_DOUBLE_EQ(paracon::dynamic_makespan(sleeps, {0, 1, 2, 3}, 7), 4);
}
