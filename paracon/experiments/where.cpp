#include "paracon/experiments/where.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include <unistd.h>

namespace paracon::experiments::where {

void report(Report& report, std::vector<Placement> all, int ranks) {
  std::sort(all.begin(), all.end(), [](const Placement& a, const Placement& b) {
    return std::tie(a.rank, a.thread) < std::tie(b.rank, b.thread);
  });
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
    rows.push_back({{"host", p.host},
                    {"node", p.node},
                    {"rank", p.rank},
                    {"thread", p.thread},
                    {"threads", p.threads},
                    {"cpu", p.cpu},
                    {"place", p.place},
                    {"mask", p.mask}});
    if (!report.json())
      std::printf("node %-12s host %-12s rank %3d  thread %3d of %-3d  cpu %3d  place %3d  mask %s\n", p.node, p.host,
                  p.rank, p.thread, p.threads, p.cpu, p.place, p.mask);
  }
  for (int r = 0; r < ranks && why.empty(); ++r) {
    const int expected =
        static_cast<int>(std::count_if(all.begin(), all.end(), [r](const Placement& p) { return p.rank == r; }));
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

} // namespace paracon::experiments::where
