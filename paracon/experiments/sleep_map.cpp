#include "paracon/experiments/sleep_map.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <thread>
#include <utility>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "paracon/kernels/partition.hpp"

namespace paracon::experiments::sleep_map {
namespace {

// Sleeping is exact only to the scheduler's wake-up: allow this much beyond the tolerance.
constexpr double slack_seconds = 0.02;

} // namespace

const char* schedule_name(Schedule s) {
  switch (s) {
  case Schedule::static_blocks: return "static";
  case Schedule::dynamic: return "dynamic";
  case Schedule::longest_first: return "longest-first";
  }
  return "?";
}

void add_options(Cli& cli, Options& options, const std::vector<Schedule>& allowed) {
  cli.add_list("--items", options.items, "Seconds each dormir(x) sleeps (the notebook's 1,2,3,4)", 0, 3600)
      ->default_str("1,2,3,4");
  cli.add_decimal("--scale", options.scale, "Multiply every sleep by this (0.01: a hundred times faster)", 1e-4, 10);
  cli.add_decimal("--tolerance", options.tolerance, "How far past its prediction a wall time may go (a fraction)", 0,
                  100);
  std::vector<std::string> names{"all"};
  for (Schedule s : allowed) names.push_back(schedule_name(s));
  cli.app()
      .add_option_function<std::string>(
          "--schedule",
          [&options, allowed](const std::string& name) {
            options.schedules.clear();
            for (Schedule s : allowed)
              if (name == "all" || name == schedule_name(s)) options.schedules.push_back(s);
          },
          "Which schedules to run, one after the other")
      ->check(CLI::IsMember(names))
      ->default_str("all");
  options.schedules = allowed;
}

std::uint64_t dormir(std::uint64_t x, double scale, const std::string& who, bool print) {
  if (print) std::printf("Dormindo por %llu segundos. (%s)\n", static_cast<unsigned long long>(x), who.c_str());
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::duration<double>(static_cast<double>(x) * scale));
  if (print) std::printf("Retornando %llu (%s)\n", static_cast<unsigned long long>(x), who.c_str());
  std::fflush(stdout);
  return x;
}

Sleeps::Sleeps(const Options& options, std::string worker_word, bool print)
    : options_(options), word_(std::move(worker_word)), print_(print), spans_(options.items.size()) {}

std::uint64_t Sleeps::dormir(std::size_t i, int worker) {
  const double start = clock_.seconds();
  const std::uint64_t x = sleep_map::dormir(options_.items[i], options_.scale, worker_name(worker, word_), print_);
  spans_[i] = {worker, start, clock_.seconds()};
  return x;
}

std::vector<double> durations(const Options& options) {
  std::vector<double> seconds;
  for (std::uint64_t x : options.items) seconds.push_back(static_cast<double>(x) * options.scale);
  return seconds;
}

double predicted(Schedule schedule, const std::vector<double>& seconds, int workers) {
  std::vector<std::size_t> in_order(seconds.size());
  std::iota(in_order.begin(), in_order.end(), 0);
  switch (schedule) {
  case Schedule::static_blocks: {
    double longest = 0;
    for (int w = 0; w < workers; ++w) {
      const Range r = block({0, seconds.size()}, workers, w);
      longest = std::max(longest, std::accumulate(seconds.begin() + r.begin, seconds.begin() + r.end, 0.0));
    }
    return longest;
  }
  case Schedule::dynamic: return dynamic_makespan(seconds, in_order, workers);
  case Schedule::longest_first: return dynamic_makespan(seconds, largest_first(seconds), workers);
  }
  return 0;
}

double best(const std::vector<double>& seconds, int workers) {
  if (seconds.empty()) return 0;
  if (static_cast<std::size_t>(workers) >= seconds.size()) return *std::max_element(seconds.begin(), seconds.end());
  return dynamic_makespan(seconds, largest_first(seconds), workers);
}

void report(Report& report, const Options& options, int workers, const std::vector<Run>& runs) {
  const std::vector<double> seconds = durations(options);
  const double serial = std::accumulate(seconds.begin(), seconds.end(), 0.0), optimum = best(seconds, workers);
  report.add("workers", workers)
      .add("items", options.items.size(), "items", std::to_string(options.items.size()) + " sleeps")
      .add("scale", options.scale)
      .add("serial_seconds", serial, "in series", format_seconds(serial))
      .add("best_seconds", optimum, "best schedule", format_seconds(optimum));
  std::string why;
  Json rows = Json::array();
  for (const Run& run : runs) {
    const double expected = predicted(run.schedule, seconds, workers);
    const double limit = expected * (1 + options.tolerance) + slack_seconds;
    const bool in_time = run.seconds >= expected * 0.99 && run.seconds <= limit;
    const bool in_order = run.results == options.items;
    report.add(std::string("seconds_") + schedule_name(run.schedule), run.seconds, schedule_name(run.schedule),
               format_seconds(run.seconds) + " (predicted " + format_seconds(expected) + ", " +
                   (in_time ? "within tolerance" : "OUTSIDE tolerance") + ")");
    Json row = {{"schedule", schedule_name(run.schedule)},
                {"seconds", run.seconds},
                {"predicted", expected},
                {"limit", limit},
                {"in_time", in_time},
                {"results_in_order", in_order}};
    if (!run.spans.empty()) {
      Json spans = Json::array();
      for (const Span& s : run.spans) spans.push_back({{"worker", s.worker}, {"start", s.start}, {"end", s.end}});
      row["spans"] = std::move(spans); // in input order: item i slept on spans[i].worker
    }
    rows.push_back(std::move(row));
    if (why.empty() && !in_order)
      why = std::string(schedule_name(run.schedule)) + ": the results are not the items in order";
    if (why.empty() && !in_time)
      why = std::string(schedule_name(run.schedule)) + " took " + format_seconds(run.seconds) + ", predicted " +
            format_seconds(expected) + " (limit " + format_seconds(limit) + ")";
  }
  report.add("seconds", runs.empty() ? 0.0 : runs.back().seconds, "seconds",
             runs.empty() ? "-" : format_seconds(runs.back().seconds) + " (the last schedule)");
  report.add_json("runs", std::move(rows));
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::sleep_map
