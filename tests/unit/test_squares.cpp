// The squares' checks: the Mersenne reduction mod 2^61 - 1 against the division it replaces, at
// the edges of its folds and on splitmix-scattered 128-bit values; a square passes, a square off
// by one does not; the fingerprint against its definition.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "paracon/kernels/squares.hpp"

namespace sq = paracon::squares;
using paracon::u128;

TEST(Squares, MersenneReductionEqualsTheRemainder) {
  const u128 p = sq::p61, all = ~u128{0};
  std::vector<u128> values{
      0,     1,         p - 1, p,       p + 1,       2 * p,          2 * p - 1, u128{1} << 61, (u128{1} << 64) - 1,
      p * p, p * p - 1, all,   all - 1, all / p * p, all / p * p - 1};
  for (std::uint64_t i = 0; i < 100000; ++i) values.push_back((u128{sq::splitmix64(i)} << 64) | sq::splitmix64(~i));
  for (u128 v : values) EXPECT_EQ(sq::mod_p61(v), static_cast<std::uint64_t>(v % p));
}

TEST(Squares, ChecksCatchAWrongSquare) {
  for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{19999}, std::uint64_t{1} << 32,
                          (std::uint64_t{1} << 63) - 1, ~std::uint64_t{0}}) {
    const u128 y = u128{x} * x;
    EXPECT_TRUE(sq::square_checks(x, y)) << x;
    EXPECT_FALSE(sq::square_checks(x, y + 1)) << x;
    EXPECT_FALSE(sq::square_checks(x, y - 1 + (x == 0 ? 2 : 0))) << x;
  }
}

TEST(Squares, FingerprintIsTheWeightedSumModP) {
  std::vector<std::uint64_t> y;
  u128 expected = 0;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    y.push_back(sq::splitmix64(i));
    expected = (expected + u128{i + 1} * (y.back() % sq::p61)) % sq::p61;
  }
  EXPECT_EQ(sq::fingerprint(y), static_cast<std::uint64_t>(expected));
}
