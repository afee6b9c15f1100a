// The command line: what is accepted, and that every refusal is exit code 2.
#include <vector>

#include <gtest/gtest.h>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/plumbing/cli.hpp"

namespace rs = paracon::experiments::range_sum;

namespace {

struct Parsed {
  std::optional<int> exit;
  rs::Options options;
  bool json = false;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "range_sum");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  Parsed p;
  paracon::Cli cli("range_sum", "test");
  rs::add_options(cli, p.options);
  p.exit = cli.parse(static_cast<int>(argv.size()), argv.data(), /*speak=*/false);
  p.json = cli.json();
  return p;
}

} // namespace

TEST(Cli, DefaultsAreTheNotebooksColdRun) {
  const Parsed p = parse({});
  EXPECT_FALSE(p.exit);
  EXPECT_EQ(p.options.n, 999u);
  EXPECT_EQ(p.options.mode, rs::Mode::replicate);
  EXPECT_FALSE(p.json);
}

TEST(Cli, ReadsSizeModeAndJson) {
  const Parsed p = parse({"10e9", "--mode", "split", "--json"});
  EXPECT_FALSE(p.exit);
  EXPECT_EQ(p.options.n, 10000000000u);
  EXPECT_EQ(p.options.mode, rs::Mode::split);
  EXPECT_TRUE(p.json);
  EXPECT_EQ(parse({"--mode=replicate", "3e8"}).options.n, 300000000u);
  EXPECT_EQ(parse({"0"}).options.n, 0u); // an empty sum is 0: meaningful
}

TEST(Cli, HelpExitsZero) { EXPECT_EQ(parse({"--help"}).exit, paracon::exit_validated); }

TEST(Cli, BadInputExitsTwo) {
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{{"-5"},
                                                                            {"abc"},
                                                                            {"12x"},
                                                                            {"1.5e3"},
                                                                            {"1e19"},
                                                                            {"9223372036854775809"},
                                                                            {"--mode"},
                                                                            {"--mode", "fast"},
                                                                            {"--bogus"},
                                                                            {"5", "6"},
                                                                            {"--json=maybe"},
                                                                            {"--mode", "split", "--mode", "split"}})
    EXPECT_EQ(parse(bad).exit, paracon::exit_usage) << bad[0];
}
