// What as_completed and pool_map share: the notebook's
//     X = [np.random.randint(20000) for i in range(10)];  f(x) = np.power(x, 2)
// made reproducible, the "x squared is y" lines, and the checks.
//
// Inputs: item i is splitmix64(seed + i) mod max. splitmix64 is a fixed, tiny, well-mixed
// function (the seeding step of xoshiro), so the same seed gives the same list on every machine
// and the tests recompute it in Python.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/cli.hpp"
#include "paracon/exact.hpp"
#include "paracon/report.hpp"

namespace paracon::squares {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

constexpr std::uint64_t item(std::uint64_t seed, std::uint64_t index, std::uint64_t max) {
  return splitmix64(seed + index) % max;
}

struct Options {
  std::uint64_t seed = 2023;
  std::uint64_t count = 10;   // the notebook's ten
  std::uint64_t max = 20000;  // np.random.randint(20000): values 0 .. 19999
};

// --seed, --count (at most max_count) and --max (at most max_max: the largest value whose
// square the program holds exactly).
void add_options(Cli& cli, Options& options, std::uint64_t max_count, std::uint64_t max_max);

// "16024 squared is 256768576", the notebook's line.
std::string line(std::uint64_t x, u128 y);

// The prime 2^61 - 1, modulus of the square checks and of the fingerprint.
constexpr std::uint64_t p61 = (std::uint64_t{1} << 61) - 1;

// An independent check of one square: y mod p against (x mod p)^2 mod p, p = 2^61 - 1.
bool square_checks(std::uint64_t x, u128 y);

// sum of (i + 1) * y_i mod 2^61 - 1: a fingerprint of the results in their order, which the
// tests recompute from the seed.
template <class Square> std::uint64_t fingerprint(const std::vector<Square>& y) {
  u128 sum = 0;
  for (std::size_t i = 0; i < y.size(); ++i) sum = (sum + u128{i + 1} * static_cast<std::uint64_t>(y[i] % p61)) % p61;
  return static_cast<std::uint64_t>(sum);
}

// as_completed's --delay: each item takes DELAY x value / max seconds (uneven work).
void add_delay_option(Cli& cli, double& delay);
// pool_map's --variant: loop, eigen or both.
void add_map_variant_option(Cli& cli, std::string& variant);

// One finished item, as as_completed hands it back.
struct Completed {
  std::uint64_t index = 0, x = 0;
  u128 y = 0;
};

// as_completed's report: the items in completion order, whether that was submission order, the
// fingerprint; verdict: every item exactly once, every square right.
void report_completed(Report& report, const Options& options, int workers, double delay,
                      const std::vector<Completed>& completed, double seconds);

// One pool_map run: Y = pool.map(f, X) by a parallel loop, or Y = np.power(X, 2) with Eigen.
struct Mapped {
  std::string variant; // "loop" or "eigen"
  std::vector<std::uint64_t> y;
  double seconds = 0;
};

// pool_map's --variant and the largest --max whose squares fit in 64 bits (2^32).
constexpr std::uint64_t map_max = std::uint64_t{1} << 32;
std::vector<std::string> map_variants(const std::string& chosen);
// Bytes pool_map needs for `count` items: X, and a Y per variant run.
std::uint64_t map_bytes(std::uint64_t count, std::size_t variants);
// The notebook's lines, in input order, when the list is short enough to read (<= 20 items).
void print_mapped(const Report& report, const Options& options, const std::vector<std::uint64_t>& y);

// pool_map's report: per variant the fingerprint of the results in input order, the time and
// items per second; verdict: every square right and in input order (against inputs regenerated).
void report_mapped(Report& report, const Options& options, int workers, const std::vector<Mapped>& runs);

// Sleeps delay * x / max seconds, then returns x squared: f(x) with uneven work.
u128 square_after_delay(std::uint64_t x, std::uint64_t max, double delay);

} // namespace paracon::squares
