// The command line's number parsers: the forms counts, lists and decimals accept, and the
// one-line refusals of everything else.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "paracon/plumbing/numbers.hpp"

namespace {

// The refusal's text, or "" when the parse was accepted.
template <class Parse> std::string refusal(Parse parse) {
  try {
    parse();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(Numbers, CountAcceptsIntegersAndExactExponents) {
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

TEST(Numbers, CountRefusesEverythingElse) {
  for (const char* bad : {"",
                          "-1",
                          "-0",
                          "+5",
                          "abc",
                          "12x",
                          "x12",
                          "1.5e3",
                          "1.0",
                          "1e",
                          "e5",
                          "1e-3",
                          "1e+3",
                          " 5",
                          "5 ",
                          "0x10",
                          "1_000",
                          "1,000",
                          "9223372036854775809",
                          "1e19",
                          "1e400",
                          "99999999999999999999999999999999999999999"})
    EXPECT_THROW(paracon::parse_count(bad), std::invalid_argument) << "'" << bad << "'";
  EXPECT_THROW(paracon::parse_count("43", 42), std::invalid_argument);
}

TEST(Numbers, CountErrorsAreOneLineAndNameTheText) {
  try {
    paracon::parse_count("1.5e3");
    FAIL();
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'1.5e3'"), std::string::npos);
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

TEST(Numbers, ListsOfCountsAndRanges) {
  using V = std::vector<std::uint64_t>;
  EXPECT_EQ(paracon::parse_list("1..6", 1, 100), (V{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(paracon::parse_list("2,3,5", 1, 100), (V{2, 3, 5}));
  EXPECT_EQ(paracon::parse_list("1..3,10,1e1", 1, 100), (V{1, 2, 3, 10, 10}));
  EXPECT_EQ(paracon::parse_list("7..7", 1, 100), (V{7}));
  for (const char* bad : {"", ",", "1,", ",1", "3..1", "0", "1..", "..3", "1...3", "x", "1.5", "101", "1..200", "1,,2"})
    EXPECT_THROW(paracon::parse_list(bad, 1, 100), std::invalid_argument) << bad;
  EXPECT_THROW(paracon::parse_list("1..2000", 1, 10000, 1000), std::invalid_argument);
}

TEST(Numbers, AnEmptyListItemIsNamedAsSuch) {
  EXPECT_NE(refusal([] { paracon::parse_list("1..", 1, 100); }).find("empty item"), std::string::npos);
}

TEST(Numbers, DecimalsAcceptPlainNumbersWithinBounds) {
  EXPECT_EQ(paracon::parse_decimal("0.05", 0, 10), 0.05);
  EXPECT_EQ(paracon::parse_decimal("2", 0, 10), 2.0);
  EXPECT_EQ(paracon::parse_decimal("1e-3", 0, 10), 1e-3);
  EXPECT_EQ(paracon::parse_decimal("10", 0, 10), 10.0);
  EXPECT_EQ(paracon::parse_decimal("0", 0, 10), 0.0);
  EXPECT_EQ(paracon::parse_decimal("-1.5", -2, 0), -1.5);
}

TEST(Numbers, DecimalsRefuseWhatIsNotAFiniteNumberInBounds) {
  for (const char* bad : {"nan", "NaN", "-nan", "inf", "-inf", "infinity", "", " 1", "1 ", "0x10", "1e400", "1e30",
                          "-1", "10.0001", "abc", "1.2.3", "1e", "--1", "1e-400"})
    EXPECT_THROW(paracon::parse_decimal(bad, 0, 10), std::invalid_argument) << "'" << bad << "'";
  EXPECT_NE(refusal([] { paracon::parse_decimal("abc", 0, 10); }).find("not a number"), std::string::npos);
  EXPECT_NE(refusal([] { paracon::parse_decimal("nan", 0, 10); }).find("not a number"), std::string::npos);
  const std::string range = refusal([] { paracon::parse_decimal("0", 0.001, 86400); });
  EXPECT_NE(range.find("from 0.001 to 86400"), std::string::npos) << range; // never a 309-digit bound
}

TEST(Numbers, RefusalsCutWhatWasTyped) {
  const std::string huge(100000, '7');
  for (const std::string& why :
       {refusal([&] { paracon::parse_count(huge + "x"); }), refusal([&] { paracon::parse_decimal(huge + "x", 0, 1); }),
        refusal([&] { paracon::parse_list(huge + "x", 0, 1); })}) {
    EXPECT_LT(why.size(), 200u) << why.substr(0, 300);
    EXPECT_NE(why.find("100001 characters"), std::string::npos) << why.substr(0, 300);
  }
}
