#include "paracon/experiments/big_power.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace paracon::experiments::big_power {

void add_options(Cli& cli, Options& options) {
  cli.add_count("--exponent", options.exponent, "The exponent e of base^e (the notebook's 10000000; 1e9 works)", 0,
                std::uint64_t{1} << 40);
  cli.add_list("--bases", options.bases, "Bases, as a list or ranges: 1..6 (the notebook's), 2,3,5, 1..3,10", 1,
               std::uint64_t{1} << 32)
      ->default_str("1..6");
}

std::vector<double> costs(const Options& options) {
  std::vector<double> c;
  for (std::uint64_t b : options.bases) c.push_back(paracon::big_power::cost(b, options.exponent));
  return c;
}

std::uint64_t bytes_needed(const Options& options, const std::vector<std::size_t>& items, int concurrent) {
  std::uint64_t all = 0, largest = 0;
  for (std::size_t i : items) {
    const std::uint64_t b = paracon::big_power::bytes(options.bases[i], options.exponent);
    all += b;
    largest = std::max(largest, b);
  }
  return all + static_cast<std::uint64_t>(concurrent) * 2 * largest;
}

void report(Report& report, const Options& options, const std::vector<paracon::big_power::Facts>& facts, int workers,
            const std::string& worker_kind, double seconds) {
  double total = 0, longest = 0;
  std::string why;
  Json results = Json::array();
  for (const auto& f : facts) {
    total += f.power_seconds;
    longest = std::max(longest, f.power_seconds);
    if (why.empty()) why = paracon::big_power::check(f);
    results.push_back({{"base", f.base},
                       {"bits", f.bits},
                       {"digits", f.digits},
                       {"first20", f.first20},
                       {"last20", f.last20},
                       {"mod_m61", f.mod_m61},
                       {"seconds", f.power_seconds},
                       {worker_kind, f.worker}});
    std::string who = worker_kind + " " + std::to_string(f.worker);
    if (f.thread >= 0) {
      results.back()["thread"] = f.thread;
      who += " thread " + std::to_string(f.thread);
    }
    if (!report.json())
      std::printf("%llu^%llu  %llu bits  %llu digits  %s...%s  mod 2^61-1 = %llu  (%s, %s)\n",
                  static_cast<unsigned long long>(f.base), static_cast<unsigned long long>(f.exponent),
                  static_cast<unsigned long long>(f.bits), static_cast<unsigned long long>(f.digits), f.first20,
                  f.last20, static_cast<unsigned long long>(f.mod_m61), who.c_str(),
                  format_seconds(f.power_seconds).c_str());
  }
  const double ideal = std::max(longest, total / std::max(workers, 1));
  report.add("workers", workers)
      .add("exponent", options.exponent)
      .add("bases", options.bases.size(), "bases", std::to_string(options.bases.size()) + " powers")
      .add("seconds", seconds, "seconds", format_seconds(seconds))
      .add("serial_seconds", total, "sum of powers", format_seconds(total) + " (one worker would take about this)")
      .add("ideal_seconds", ideal, "best schedule", format_seconds(ideal) + " = max(longest, sum / workers)")
      .add("over_ideal", ideal > 0 ? seconds / ideal : 1.0, "wall / best", ideal > 0 ? show(seconds / ideal) : "-");
  report.add_json("results", std::move(results));
  if (facts.size() != options.bases.size() && why.empty()) why = "some powers are missing";
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::big_power
