// Dividing [begin, end) among workers: contiguous blocks whose sizes differ by at most one,
// so sizes that do not divide evenly, and more workers than items, are handled alike.
#pragma once

#include <cstdint>
#include <vector>

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

// Longest processing time first: items sorted by cost, largest first, each given to the worker
// with the least work so far (ties to the lowest index). Returns each item's worker. Every
// MPI rank computes the same answer from the same costs, so no message is needed.
std::vector<int> lpt_assign(const std::vector<double>& costs, int workers);

// The wall time of running items with those costs on `workers` workers that each take the next
// item from `order` as soon as they are free (a dynamic schedule).
double dynamic_makespan(const std::vector<double>& costs, const std::vector<std::size_t>& order, int workers);

// Indices of `costs`, largest cost first (stable: equal costs keep their order).
std::vector<std::size_t> largest_first(const std::vector<double>& costs);

} // namespace paracon
