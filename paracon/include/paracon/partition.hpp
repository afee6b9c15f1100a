// Dividing [begin, end) among workers: contiguous blocks whose sizes differ by at most one,
// so sizes that do not divide evenly, and more workers than items, are handled alike.
#pragma once

#include <cstdint>

namespace paracon {

struct Range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0; // one past the last item
  constexpr std::uint64_t size() const { return end - begin; }
  friend bool operator==(const Range&, const Range&) = default;
};

// Block `k` of `parts` over `whole`: the first (size % parts) blocks get one extra item.
constexpr Range block(Range whole, std::uint64_t parts, std::uint64_t k) {
  const std::uint64_t base = whole.size() / parts, extra = whole.size() % parts;
  const std::uint64_t begin = whole.begin + k * base + (k < extra ? k : extra);
  return {begin, begin + base + (k < extra ? 1 : 0)};
}

} // namespace paracon
