#include "paracon/experiments/map_async.hpp"

#include <chrono>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "paracon/kernels/range_sum.hpp"

namespace paracon::experiments::map_async {

void add_options(Cli& cli, Options& options) {
  cli.add_list("--items", options.items, "Seconds each item of the map sleeps (the notebook's 10,10,10,10,10,10)", 0,
               3600)
      ->default_str("10,10,10,10,10,10");
  cli.add_decimal("--scale", options.scale, "Multiply every sleep by this (the default runs 100 times faster)", 1e-4,
                  10);
  cli.add_count("--unit", options.unit, "Values summed per unit of the unrelated work", 1, std::uint64_t{1} << 40);
}

u128 unrelated_work(const Options& options, std::uint64_t k) {
  return range_sum(k * options.unit, (k + 1) * options.unit);
}

std::uint64_t item(const Options& options, std::uint64_t x) {
  std::this_thread::sleep_for(std::chrono::duration<double>(static_cast<double>(x) * options.scale));
  return x;
}

void report(Report& report, const Options& options, int workers, const std::vector<std::uint64_t>& results,
            const Waiting& w, double seconds) {
  // The share of the time between map_async and ready() that went into unrelated work.
  const double filled = w.not_ready > 0 ? std::min(1.0, w.unit_seconds / w.launched_to_ready) : 1.0;
  report.add("workers", workers)
      .add("items", options.items.size(), "items",
           std::to_string(options.items.size()) + " sleeps, scale " + show(options.scale))
      .add("ready_after", w.launched_to_ready, "ready() after", format_seconds(w.launched_to_ready))
      .add("not_ready_polls", w.not_ready, "ready() said no", std::to_string(w.not_ready) + " times")
      .add("units", w.units, "unrelated work",
           std::to_string(w.units) + " units (" + format_seconds(w.unit_seconds) + ") done while the map ran")
      .add("overlap", filled, "overlap",
           w.not_ready == 0 ? "none needed: the map was done before ready() was first asked"
                            : std::to_string(static_cast<int>(filled * 100 + 0.5)) + "% of the wait was useful work")
      .add("unrelated_sum", to_string(w.unrelated), "unrelated sum")
      .add("wait_seconds", w.in_wait, "blocked in wait()", format_seconds(w.in_wait))
      .add("seconds", seconds, "seconds", format_seconds(seconds) + " in all");
  report.add_json("results", results);
  std::string why;
  if (results != options.items) why = "get() did not return the items in input order";
  const u128 expected = range_sum_closed_form(0, w.units * options.unit);
  if (why.empty() && w.unrelated != expected)
    why = "the unrelated work summed to " + to_string(w.unrelated) + ", not " + to_string(expected);
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::map_async
