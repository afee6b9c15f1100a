// Facts read off a power, and the independent checks that must catch any wrong one.
#include <gtest/gtest.h>

#include "paracon/experiments/big_power.hpp"
#include "paracon/kernels/big_power.hpp"
#include "paracon/plumbing/system.hpp"

namespace bp = paracon::big_power;

TEST(BigPower, FactsOfSmallPowersAreTheNumberItself) {
  const auto f = bp::read_facts(bp::power(2, 10), 2, 10);
  EXPECT_EQ(f.bits, 11u);
  EXPECT_EQ(f.digits, 4u);
  EXPECT_STREQ(f.first20, "1024");
  EXPECT_STREQ(f.last20, "1024");
  EXPECT_EQ(f.mod_m61, 1024u);
  EXPECT_EQ(bp::check(f), "");
  const auto one = bp::read_facts(bp::power(7, 0), 7, 0);
  EXPECT_EQ(one.digits, 1u);
  EXPECT_STREQ(one.first20, "1");
  EXPECT_EQ(bp::check(one), "");
}

TEST(BigPower, FactsOfALargePowerPassEveryCheck) {
  // 2^1000000 begins 99006562292958982506 and ends ...04888403162747109376: 301030 digits.
  const auto f = bp::read_facts(bp::power(2, 1000000), 2, 1000000);
  EXPECT_EQ(f.digits, 301030u);
  EXPECT_STREQ(f.first20, "99006562292958982506");
  EXPECT_STREQ(f.last20, "04888403162747109376");
  EXPECT_EQ(bp::check(f), "");
  for (std::uint64_t base : {3u, 10u, 12u, 1000u, 4294967295u})
    EXPECT_EQ(bp::check(bp::read_facts(bp::power(base, 20001), base, 20001)), "") << base;
}

TEST(BigPower, EveryWrongFactIsCaught) {
  const auto good = bp::read_facts(bp::power(6, 100000), 6, 100000);
  ASSERT_EQ(bp::check(good), "");
  auto f = good;
  f.mod_m61 ^= 1;
  EXPECT_NE(bp::check(f), "");
  f = good;
  f.bits += 1;
  EXPECT_NE(bp::check(f), "");
  f = good;
  f.digits -= 1;
  EXPECT_NE(bp::check(f), "");
  f = good;
  f.first20[19] = f.first20[19] == '9' ? '8' : '9';
  EXPECT_NE(bp::check(f), "");
  f = good;
  f.last20[0] = f.last20[0] == '9' ? '8' : '9';
  EXPECT_NE(bp::check(f), "");
}

TEST(BigPower, MemoryRefusalNamesWhatIsNeeded) {
  paracon::experiments::big_power::Options options{1000000000000, {3, 5, 7}};
  const auto need = paracon::experiments::big_power::bytes_needed(options, {0, 1, 2}, 2);
  EXPECT_GT(need, 3 * 150000000000ull); // 3^1e12 alone is about 198 GB
  const auto refusal = paracon::memory_refusal("these powers need", need, 24ull << 30);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("24.0 GiB"), std::string::npos);
  EXPECT_FALSE(paracon::memory_refusal("these powers need", 1000, 24ull << 30));
  // Headroom: what fits only into the last gigabytes is refused too.
  EXPECT_TRUE(paracon::memory_refusal("an array needs", 23.0 * (1ull << 30), 24ull << 30));
  EXPECT_FALSE(paracon::memory_refusal("an array needs", 20.0 * (1ull << 30), 24ull << 30));
}

#include "paracon/kernels/factorial.hpp"

namespace fac = paracon::factorial;

TEST(Factorial, TreeAndLoopAgreeWithGmp) {
  for (std::uint64_t n : {0u, 1u, 5u, 16u, 17u, 1000u, 20011u}) {
    mpz_class gmp;
    mpz_fac_ui(gmp.get_mpz_t(), n);
    EXPECT_EQ(fac::tree_product(1, n + 1), gmp) << n;
    EXPECT_EQ(fac::loop_product(1, n + 1), gmp) << n;
  }
  EXPECT_EQ(fac::tree_product(7, 3), 1); // empty
}

TEST(Factorial, LegendreExponentsAreThePrimeFactorisation) {
  const auto legendre = fac::prime_exponents(30);
  EXPECT_EQ(legendre.primes, (std::vector<std::uint64_t>{3, 5, 7, 11, 13, 17, 19, 23, 29}));
  EXPECT_EQ(legendre.exponents, (std::vector<std::uint64_t>{14, 7, 4, 2, 2, 1, 1, 1, 1})); // 30! = 2^26 3^14 5^7 ...
  EXPECT_EQ(legendre.twos, 26u);
  EXPECT_TRUE(fac::prime_exponents(0).primes.empty());
  EXPECT_TRUE(fac::prime_exponents(2).primes.empty());
  EXPECT_EQ(fac::prime_exponents(2).twos, 1u);
}

TEST(Factorial, SharesMultiplyToTheFactorialForAnyNumberOfShares) {
  for (std::uint64_t n : {0u, 1u, 2u, 3u, 10u, 1000u, 100003u}) {
    const auto legendre = fac::prime_exponents(n);
    mpz_class gmp;
    mpz_fac_ui(gmp.get_mpz_t(), n);
    for (std::size_t shares : {1u, 2u, 3u, 4u, 7u}) {
      mpz_class product = 1;
      for (std::size_t s = 0; s < shares; ++s) product *= fac::share_product(legendre, s, shares);
      EXPECT_EQ(product << legendre.twos, gmp) << n << "! in " << shares << " shares";
    }
  }
}

TEST(Factorial, AProductSplitInHalvesIsRejoinedExactly) {
  const mpz_class a = fac::tree_product(1, 3001), b = fac::tree_product(2, 1777);
  const auto halves = fac::halve(b);
  EXPECT_EQ(fac::rejoin(a * halves.high, a * halves.low, halves.shift), a * b);
  EXPECT_EQ(fac::rejoin(a * fac::halve(mpz_class(1)).high, a * fac::halve(mpz_class(1)).low, 0), a);
}

TEST(Factorial, FactsAndTheirChecks) {
  const mpz_class value = fac::tree_product(1, 1001);
  const auto f = fac::read_facts(value, 1000);
  EXPECT_EQ(f.digits, 2568u);
  EXPECT_EQ(f.trailing_zeros, 249u);
  EXPECT_EQ(fac::legendre_zeros(1000), 249u);
  EXPECT_EQ(fac::legendre_zeros(1000000), 249998u);
  EXPECT_EQ(fac::check(f, value), "");
  auto wrong = f;
  wrong.trailing_zeros += 1;
  EXPECT_NE(fac::check(wrong, value), "");
  wrong = f;
  wrong.digits -= 1;
  EXPECT_NE(fac::check(wrong, value), "");
  EXPECT_NE(fac::check(f, value + 1), "");
  EXPECT_STREQ(fac::read_facts(fac::tree_product(1, 6), 5).value, "120");
}

TEST(Factorial, RecurrenceAgreesWithGmpAndCannotBeSplit) {
  EXPECT_EQ(fac::iterate(2, 0), 2u);
  EXPECT_EQ(fac::iterate(2, 3), 677u); // 2 -> 5 -> 26 -> 677
  EXPECT_EQ(fac::iterate(2, 100000), fac::iterate_gmp(2, 100000));
  // Starting the second half from x_0 instead of x_{K/2} gives another value.
  EXPECT_NE(fac::iterate(2, 50000), fac::iterate(2, 100000));
}
