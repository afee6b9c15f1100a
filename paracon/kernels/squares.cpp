#include "paracon/kernels/squares.hpp"

namespace paracon::squares {

std::string line(std::uint64_t x, u128 y) { return std::to_string(x) + " squared is " + to_string(y); }

bool square_checks(std::uint64_t x, u128 y) {
  const u128 r = x % p61;
  return static_cast<std::uint64_t>(y % p61) == static_cast<std::uint64_t>(r * r % p61);
}

} // namespace paracon::squares
