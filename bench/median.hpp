// What the benchmark helpers share: the median of their repetitions (the middle one; the upper
// middle for an even count), the figure each reports.
#pragma once

#include <algorithm>
#include <vector>

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
