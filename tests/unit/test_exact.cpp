// Exact integers: decimal output checked against GMP, and the count parser's accepted and
// refused forms.
#include <stdexcept>

#include <gmpxx.h>
#include <gtest/gtest.h>

#include "paracon/exact.hpp"

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
  for (u128 v : {u128{0}, u128{7}, u128{10}, u128{498501}, u128{1} << 63, u128{1} << 64, (u128{1} << 64) - 1,
                 max, max / 3, u128{4999999999500000000ull} * 10000 + 17})
    EXPECT_EQ(paracon::to_string(v), gmp_decimal(v));
  EXPECT_EQ(paracon::to_string(max), "340282366920938463463374607431768211455");
}

TEST(Exact, ParseAcceptsIntegersAndExactExponents) {
  EXPECT_EQ(paracon::parse_count("0"), 0u);
  EXPECT_EQ(paracon::parse_count("999"), 999u);
  EXPECT_EQ(paracon::parse_count("300000000"), 300000000u);
  EXPECT_EQ(paracon::parse_count("3e8"), 300000000u);
  EXPECT_EQ(paracon::parse_count("10e9"), 10000000000u);
  EXPECT_EQ(paracon::parse_count("10E9"), 10000000000u);
  EXPECT_EQ(paracon::parse_count("0e400"), 0u);
  EXPECT_EQ(paracon::parse_count("007"), 7u);
  EXPECT_EQ(paracon::parse_count("9223372036854775808"), std::uint64_t{1} << 63);
  EXPECT_EQ(paracon::parse_count("42", 42), 42u);
}

TEST(Exact, ParseRefusesEverythingElse) {
  for (const char* bad : {"", "-1", "-0", "+5", "abc", "12x", "x12", "1.5e3", "1.0", "1e", "e5", "1e-3", "1e+3", " 5",
                          "5 ", "0x10", "1_000", "1,000", "9223372036854775809", "1e19", "1e400",
                          "99999999999999999999999999999999999999999"})
    EXPECT_THROW(paracon::parse_count(bad), std::invalid_argument) << "'" << bad << "'";
  EXPECT_THROW(paracon::parse_count("43", 42), std::invalid_argument);
}

TEST(Exact, ParseErrorsAreOneLineAndNameTheText) {
  try {
    paracon::parse_count("1.5e3");
    FAIL();
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'1.5e3'"), std::string::npos);
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

TEST(Exact, ListsOfCountsAndRanges) {
  using V = std::vector<std::uint64_t>;
  EXPECT_EQ(paracon::parse_list("1..6", 1, 100), (V{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(paracon::parse_list("2,3,5", 1, 100), (V{2, 3, 5}));
  EXPECT_EQ(paracon::parse_list("1..3,10,1e1", 1, 100), (V{1, 2, 3, 10, 10}));
  EXPECT_EQ(paracon::parse_list("7..7", 1, 100), (V{7}));
  for (const char* bad : {"", ",", "1,", ",1", "3..1", "0", "1..", "..3", "1...3", "x", "1.5", "101", "1..200"})
    EXPECT_THROW(paracon::parse_list(bad, 1, 100), std::invalid_argument) << bad;
  EXPECT_THROW(paracon::parse_list("1..2000", 1, 10000, 1000), std::invalid_argument);
}
