// The numbers as_completed and pool_map square: the notebook's
//     X = [np.random.randint(20000) for i in range(10)];  f(x) = np.power(x, 2)
// made reproducible, the "x squared is y" line, and the checks.
//
// Inputs: item i is splitmix64(seed + i) mod max. splitmix64 is a fixed, tiny, well-mixed
// function (the seeding step of xoshiro), so the same seed gives the same list on every machine
// and the tests recompute it in Python.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paracon/kernels/exact.hpp"

namespace paracon::squares {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Which numbers: the notebook's ten below 20000 by default.
struct Inputs {
  std::uint64_t seed = 2023;
  std::uint64_t count = 10;  // the notebook's ten
  std::uint64_t max = 20000; // np.random.randint(20000): values 0 .. 19999
};

constexpr std::uint64_t item(std::uint64_t seed, std::uint64_t index, std::uint64_t max) {
  const std::uint64_t x = splitmix64(seed + index);
  return (max & (max - 1)) == 0 ? x & (max - 1) : x % max; // a power of two: a mask, not a division
}
constexpr std::uint64_t item(const Inputs& inputs, std::uint64_t index) { return item(inputs.seed, index, inputs.max); }

// "16024 squared is 256768576", the notebook's line.
std::string line(std::uint64_t x, u128 y);

// The prime 2^61 - 1, modulus of the square checks and of the fingerprint.
constexpr std::uint64_t p61 = (std::uint64_t{1} << 61) - 1;

// v mod 2^61 - 1 without a division: 2^61 = 1 (mod p), so the bits above 61 fold onto the low
// ones (twice brings any 128-bit value under p + 2^7), then one subtraction.
constexpr std::uint64_t mod_p61(u128 v) {
  v = (v & p61) + (v >> 61);
  v = (v & p61) + (v >> 61);
  const auto r = static_cast<std::uint64_t>(v);
  return r >= p61 ? r - p61 : r;
}

constexpr std::uint64_t mod_p61(std::uint64_t v) {
  const std::uint64_t r = (v & p61) + (v >> 61);
  return r >= p61 ? r - p61 : r;
}

// An independent check of one square: y mod p against (x mod p)^2 mod p, p = 2^61 - 1.
constexpr bool square_checks(std::uint64_t x, u128 y) {
  const u128 r = mod_p61(x);
  return mod_p61(y) == mod_p61(r * r);
}

// sum of (i + 1) * y_i mod 2^61 - 1: a fingerprint of the results in their order, which the
// tests recompute from the seed.
template <class Square> std::uint64_t fingerprint(const std::vector<Square>& y) {
  u128 sum = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const u128 term = u128{i + 1} * mod_p61(y[i]); // under 2^125: folded once, under 2^65
    sum += u128{static_cast<std::uint64_t>(term) & p61} + static_cast<std::uint64_t>(term >> 61);
  }
  return mod_p61(sum); // 2^60 terms under 2^65 still fit in 128 bits

}

} // namespace paracon::squares
