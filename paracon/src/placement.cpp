#include "paracon/placement.hpp"

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

void report_placement(Report& report, std::vector<Placement> all, int ranks) {
  std::sort(all.begin(), all.end(),
            [](const Placement& a, const Placement& b) { return std::tie(a.rank, a.thread) < std::tie(b.rank, b.thread); });
  const auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value ? value : "(unset)");
  };
  std::string why;
  Json rows = Json::array();
  std::vector<int> seen(ranks, 0);
  for (const Placement& p : all) {
    const std::vector<int> allowed = parse_cpu_list(p.mask);
    const bool inside = std::find(allowed.begin(), allowed.end(), p.cpu) != allowed.end();
    if (why.empty() && !inside)
      why = "rank " + std::to_string(p.rank) + " thread " + std::to_string(p.thread) + " runs on CPU " +
            std::to_string(p.cpu) + ", outside its mask " + p.mask;
    if (p.rank >= 0 && p.rank < ranks && p.thread == seen[p.rank]) ++seen[p.rank];
    rows.push_back({{"host", p.host}, {"node", p.node}, {"rank", p.rank}, {"thread", p.thread}, {"threads", p.threads},
                    {"cpu", p.cpu}, {"place", p.place}, {"mask", p.mask}});
    if (!report.json())
      std::printf("node %-12s host %-12s rank %3d  thread %3d of %-3d  cpu %3d  place %3d  mask %s\n", p.node, p.host,
                  p.rank, p.thread, p.threads, p.cpu, p.place, p.mask);
  }
  for (int r = 0; r < ranks && why.empty(); ++r) {
    const int expected = static_cast<int>(std::count_if(all.begin(), all.end(), [r](const Placement& p) { return p.rank == r; }));
    if (expected == 0 || seen[r] != expected) why = "rank " + std::to_string(r) + " did not report threads 0..T-1";
  }
  const int cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  report.add("ranks", ranks)
      .add("workers", all.size(), "threads in all")
      .add("cores_online", cores, "CPUs online here")
      .add("OMP_PLACES", env("OMP_PLACES"))
      .add("OMP_PROC_BIND", env("OMP_PROC_BIND"))
      .add("seconds", 0.0, "seconds", "-");
  report.add_json("placements", std::move(rows));
  report.verdict(why.empty(), why);
}

} // namespace paracon
