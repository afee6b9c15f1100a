#include "paracon/experiments/as_completed.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

namespace paracon::experiments::as_completed {

void add_options(Cli& cli, Options& options) {
  cli.add_count("--seed", options.seed, "Seed of the inputs: the same seed, the same list");
  cli.add_count("--count", options.count, "How many numbers to square", 1, 100000);
  cli.add_count("--max", options.max, "Inputs are below this, like np.random.randint(MAX); up to 2^63 (squares exact)",
                1, max_count);
  cli.add_decimal("--delay", options.delay, "Each item takes DELAY x value / max seconds (uneven work)", 0, 10);
}

u128 square_after_delay(const Options& options, std::uint64_t x) {
  if (options.delay > 0)
    std::this_thread::sleep_for(
        std::chrono::duration<double>(options.delay * static_cast<double>(x) / static_cast<double>(options.max)));
  return u128{x} * x;
}

void report(Report& report, const Options& options, int workers, const std::vector<Completed>& completed,
            double seconds) {
  std::vector<int> seen(options.count, 0);
  std::vector<u128> y(options.count, 0);
  Json order = Json::array();
  bool in_order = true, exact = true;
  for (std::size_t k = 0; k < completed.size(); ++k) {
    const Completed& c = completed[k];
    if (c.index >= options.count) continue;
    ++seen[c.index];
    in_order = in_order && c.index == k;
    exact = exact && c.x == squares::item(options, c.index) && squares::square_checks(c.x, c.y);
    y[c.index] = c.y;
    order.push_back({{"index", c.index}, {"x", c.x}, {"y", to_string(c.y)}});
  }
  std::size_t missing = 0, repeated = 0;
  for (int s : seen) missing += s == 0, repeated += s > 1;
  report.add("count", options.count)
      .add("workers", workers)
      .add("seed", options.seed)
      .add("max", options.max)
      .add("delay", options.delay, "delay", show(options.delay) + " s x value / max")
      .add("in_submission_order", in_order, "completion order",
           in_order ? "the submission order" : "differs from the submission order")
      .add("fingerprint", squares::fingerprint(y))
      .add("seconds", seconds, "seconds", format_seconds(seconds));
  report.add_json("completed", order);
  std::string why;
  if (missing || repeated || completed.size() != options.count)
    why = std::to_string(missing) + " items missing, " + std::to_string(repeated) + " repeated";
  else if (!exact)
    why = "an input or a square is wrong";
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::as_completed
