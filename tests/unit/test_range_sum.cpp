// The kernel against the closed form, and the closed form against GMP: near 2^32 (where numpy's
// int64 sum wraps), near 2^64 for the sum, and near 2^63 for the values.
#include <random>

#include <gmpxx.h>
#include <gtest/gtest.h>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/kernels/range_sum.hpp"

using paracon::range_sum;
using paracon::range_sum_closed_form;
using paracon::u128;

namespace {

constexpr std::uint64_t two63 = std::uint64_t{1} << 63;

mpz_class to_mpz(u128 v) { return mpz_class(paracon::to_string(v)); }

// The closed form in GMP: sum of begin..end-1 as (end(end-1) - begin(begin-1)) / 2.
mpz_class gmp_sum(std::uint64_t begin, std::uint64_t end) {
  mpz_class b(std::to_string(begin)), e(std::to_string(end));
  return (e * (e - 1) - b * (b - 1)) / 2;
}

} // namespace

TEST(RangeSum, ClosedFormAgreesWithGmp) {
  for (auto [b, e] : {std::pair<std::uint64_t, std::uint64_t>{0, 0},
                      {0, 1},
                      {0, 999},
                      {5, 5},
                      {7, 3},
                      {0, two63},
                      {two63 - 1, two63},
                      {1ull << 32, (1ull << 32) + 1},
                      {0, (1ull << 32) + 1}})
    EXPECT_EQ(to_mpz(range_sum_closed_form(b, e)), e > b ? gmp_sum(b, e) : mpz_class(0)) << b << " " << e;
}

TEST(RangeSum, SmallRangesAddEveryValue) {
  for (std::uint64_t b = 0; b < 40; ++b)
    for (std::uint64_t e = b; e < b + 70; ++e) {
      u128 plain = 0;
      for (std::uint64_t i = b; i < e; ++i) plain += i;
      ASSERT_EQ(range_sum(b, e), plain) << b << " " << e;
    }
  EXPECT_EQ(range_sum(0, 999), 498501u); // the notebook's cold size
  EXPECT_EQ(range_sum(10, 3), 0u);       // empty
}

TEST(RangeSum, RandomRangesMatchTheClosedForm) {
  std::mt19937_64 random(2026);
  for (int k = 0; k < 300; ++k) {
    const std::uint64_t b = random() % two63, length = random() % 100000;
    const std::uint64_t e = std::min(two63, b + length);
    ASSERT_EQ(range_sum(b, e), range_sum_closed_form(b, e)) << b << " " << e;
  }
}

TEST(RangeSum, ExactPastTheInt64AndUint64Limits) {
  // The full sum to n = 2^32 + 1 passes 2^63; checked on the values near the end of it.
  EXPECT_EQ(range_sum((1ull << 32) - 1000, (1ull << 32) + 1),
            range_sum_closed_form((1ull << 32) - 1000, (1ull << 32) + 1));
  // Values near 2^63: a handful already sum past 2^64, and chunks shrink to 1 value.
  for (std::uint64_t b : {two63 - 100000, two63 - 5000, two63 - 17})
    EXPECT_EQ(range_sum(b, two63), range_sum_closed_form(b, two63)) << b;
  EXPECT_GT(range_sum(two63 - 8, two63), u128{1} << 64);
  // Across the boundaries where the chunk length changes.
  for (int p = 31; p <= 62; ++p) {
    const std::uint64_t at = 1ull << p;
    EXPECT_EQ(range_sum(at - 3000, at + 3000), range_sum_closed_form(at - 3000, at + 3000)) << p;
  }
}

TEST(RangeSum, ChunksCannotOverflow) {
  std::mt19937_64 random(63);
  for (int k = 0; k < 100000; ++k) {
    const std::uint64_t b = (random() >> (random() % 64)) % two63;
    const std::uint64_t length = paracon::exact_chunk_length(b);
    ASSERT_GE(length, 1u);
    // The largest sum a chunk can have, in 128 bits, must stay below 2^64.
    ASSERT_LT(u128{length} * (u128{b} + length - 1), u128{1} << 64) << b;
  }
  EXPECT_EQ(paracon::exact_chunk_length(0), 1ull << 31);
  EXPECT_EQ(paracon::exact_chunk_length(two63 - 1), 1u);
}

TEST(RangeSum, WrappingKernelKeepsOnlyTheLow64Bits) {
  EXPECT_EQ(paracon::range_sum_wrapping(0, 999), 498501u);
  for (std::uint64_t b : {std::uint64_t{0}, std::uint64_t{1} << 40, two63 - 100000})
    EXPECT_EQ(paracon::range_sum_wrapping(b, b + 100000),
              static_cast<std::uint64_t>(range_sum_closed_form(b, b + 100000)));
}

namespace rs = paracon::experiments::range_sum;

TEST(RangeSumCheck, AcceptsRightResultsAndNamesWrongOnes) {
  rs::Options split{10, rs::Mode::split};
  std::vector<rs::Worker> ok{{{0, 4}, 6, 0}, {{4, 7}, 15, 0}, {{7, 10}, 24, 0}};
  EXPECT_EQ(rs::check(split, ok, 45), "");
  EXPECT_NE(rs::check(split, ok, 44), ""); // wrong total
  auto wrong_part = ok;
  wrong_part[1].sum = 16;
  EXPECT_NE(rs::check(split, wrong_part, 45), ""); // wrong partial
  std::vector<rs::Worker> gap{{{0, 4}, 6, 0}, {{5, 7}, 11, 0}, {{7, 10}, 24, 0}};
  EXPECT_NE(rs::check(split, gap, 41), ""); // a value skipped
  std::vector<rs::Worker> short_parts{{{0, 4}, 6, 0}, {{4, 7}, 15, 0}};
  EXPECT_NE(rs::check(split, short_parts, 21), ""); // parts stop early

  rs::Options replicate{10, rs::Mode::replicate};
  std::vector<rs::Worker> all{{{0, 10}, 45, 0}, {{0, 10}, 45, 0}};
  EXPECT_EQ(rs::check(replicate, all, 45), "");
  all[1].sum = 0;
  EXPECT_NE(rs::check(replicate, all, 45), ""); // one worker wrong
}
