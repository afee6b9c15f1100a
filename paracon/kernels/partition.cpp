#include "paracon/kernels/partition.hpp"

#include <algorithm>
#include <numeric>

namespace paracon {

std::vector<std::size_t> largest_first(const std::vector<double>& costs) {
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  return order;
}

std::vector<int> lpt_assign(const std::vector<double>& costs, int workers) {
  std::vector<int> owner(costs.size(), 0);
  std::vector<double> load(std::max(workers, 1), 0.0);
  for (std::size_t item : largest_first(costs)) {
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();
    owner[item] = static_cast<int>(least);
    load[least] += costs[item];
  }
  return owner;
}

double dynamic_makespan(const std::vector<double>& costs, const std::vector<std::size_t>& order, int workers) {
  std::vector<double> free_at(std::max(workers, 1), 0.0);
  for (std::size_t item : order) {
    auto first_free = std::min_element(free_at.begin(), free_at.end());
    *first_free += costs[item];
  }
  return *std::max_element(free_at.begin(), free_at.end());
}

} // namespace paracon
