// Exact integers: decimal output checked against GMP.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include "paracon/kernels/exact.hpp"

using paracon::u128;

namespace {

// GMP's decimal form of a u128, built from its two 64-bit halves: an independent check.
std::string gmp_decimal(u128 v) {
  const std::uint64_t halves[2] = {static_cast<std::uint64_t>(v >> 64), static_cast<std::uint64_t>(v)};
  mpz_class all;
  mpz_import(all.get_mpz_t(), 2, /*most significant first*/ 1, sizeof(std::uint64_t), 0, 0, halves);
  return all.get_str();
}

} // namespace

TEST(Exact, DecimalAgreesWithGmp) {
  const u128 max = ~u128{0};
  for (u128 v : {u128{0}, u128{7}, u128{10}, u128{498501}, u128{1} << 63, u128{1} << 64, (u128{1} << 64) - 1, max,
                 max / 3, u128{4999999999500000000ull} * 10000 + 17})
    EXPECT_EQ(paracon::to_string(v), gmp_decimal(v));
  EXPECT_EQ(paracon::to_string(max), "340282366920938463463374607431768211455");
}
