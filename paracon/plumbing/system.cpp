#include "paracon/plumbing/system.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <sys/resource.h>
#include <unistd.h>

namespace paracon {
namespace {

// A number the kernel publishes in /proc/sys, or 0.
std::uint64_t proc_number(const char* path) {
  std::ifstream file(path);
  std::uint64_t value = 0;
  file >> value;
  return value;
}

} // namespace

std::optional<std::string> memory_refusal(const std::string& what, double needed, std::uint64_t available,
                                          const std::string& advice) {
  if (available == 0 || needed <= usable_share * static_cast<double>(available)) return std::nullopt;
  return what + " " + format_bytes(needed) + " of memory, " + format_bytes(static_cast<double>(available)) +
         " is available and a run may use " + std::to_string(static_cast<int>(usable_share * 100)) + "% of it" +
         (advice.empty() ? "" : " (" + advice + ")");
}

std::uint64_t available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

std::uint64_t peak_memory() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024; // Linux reports KiB
}

std::uint64_t thread_limit() {
  std::uint64_t limit = 4096;
  // Each thread's stack is a memory map, and its guard page another: a process runs out of maps
  // (vm.max_map_count, 65530 by default) long before the kernel's thread count.
  if (const auto maps = proc_number("/proc/sys/vm/max_map_count")) limit = std::min(limit, maps / 4);
  if (const auto threads = proc_number("/proc/sys/kernel/threads-max")) limit = std::min(limit, threads / 2);
  rlimit processes{};
  if (getrlimit(RLIMIT_NPROC, &processes) == 0 && processes.rlim_cur != RLIM_INFINITY)
    limit = std::min<std::uint64_t>(limit, processes.rlim_cur / 2);
  return std::max<std::uint64_t>(limit, 1);
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  for (; bytes >= 1024 && u < 4; ++u) bytes /= 1024;
  char text[32];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return text;
}

} // namespace paracon
