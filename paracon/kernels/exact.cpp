#include "paracon/kernels/exact.hpp"

#include <algorithm>

namespace paracon {

std::string to_string(u128 v) {
  if (v == 0) return "0";
  std::string digits;
  for (; v != 0; v /= 10) digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
  std::reverse(digits.begin(), digits.end());
  return digits;
}

} // namespace paracon
