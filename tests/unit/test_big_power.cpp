// Facts read off a power, and the independent checks that must catch any wrong one.
#include <gtest/gtest.h>

#include "paracon/big_power.hpp"
#include "paracon/big_power_experiment.hpp"

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
  paracon::big_power_experiment::Options options{1000000000000, {3, 5, 7}};
  const auto need = paracon::big_power_experiment::bytes_needed(options, {0, 1, 2}, 2);
  EXPECT_GT(need, 3 * 150000000000ull); // 3^1e12 alone is about 198 GB
  const auto refusal = paracon::big_power_experiment::memory_refusal(need, 24ull << 30);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("24.0 GiB"), std::string::npos);
  EXPECT_FALSE(paracon::big_power_experiment::memory_refusal(1000, 24ull << 30));
}
