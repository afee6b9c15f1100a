#include "paracon/plumbing/placement.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <sched.h>
#include <unistd.h>

namespace paracon {

Placement here() {
  Placement p;
  gethostname(p.host, sizeof p.host - 1);
  const char* node = std::getenv("SLURMD_NODENAME"); // simulated nodes share one host name
  std::snprintf(p.node, sizeof p.node, "%s", node ? node : p.host);
  p.cpu = sched_getcpu();
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
  const std::string list = cpu_list(cpus);
  std::strncpy(p.mask, list.c_str(), sizeof p.mask - 1);
  return p;
}

std::string cpu_list(const std::vector<int>& cpus) {
  std::string text;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += std::to_string(cpus[i]);
    if (j > i) text.append("-").append(std::to_string(cpus[j])); // append: GCC 12 warns falsely on "-" + string
    i = j + 1;
  }
  return text;
}

std::vector<int> parse_cpu_list(const std::string& text) {
  std::vector<int> cpus;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto dash = item.find('-');
    const int first = std::atoi(item.substr(0, dash).c_str());
    const int last = dash == std::string::npos ? first : std::atoi(item.substr(dash + 1).c_str());
    for (int c = first; c <= last; ++c) cpus.push_back(c);
  }
  return cpus;
}

} // namespace paracon
