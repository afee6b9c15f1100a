#include "paracon/squares.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace paracon::squares {
namespace {

std::uint64_t mod_p61(u128 v) { return static_cast<std::uint64_t>(v % p61); }

} // namespace

void add_options(Cli& cli, Options& options, std::uint64_t max_count, std::uint64_t max_max) {
  cli.add_count("--seed", options.seed, "Seed of the inputs: the same seed, the same list");
  cli.add_count("--count", options.count, "How many numbers to square", 1, max_count);
  cli.add_count("--max", options.max, "Inputs are below this, like np.random.randint(MAX); at most " +
                                          std::to_string(max_max) + " (squares exact)",
                1, max_max);
}

void add_delay_option(Cli& cli, double& delay) {
  cli.app()
      .add_option("--delay", delay, "Each item takes DELAY x value / max seconds (uneven work)")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
}

void add_map_variant_option(Cli& cli, std::string& variant) {
  cli.app()
      .add_option("--variant", variant, "loop: a parallel loop; eigen: Y = X.square(), np.power(X, 2); both")
      ->check(CLI::IsMember({"loop", "eigen", "both"}))
      ->capture_default_str();
}

std::string line(std::uint64_t x, u128 y) { return std::to_string(x) + " squared is " + to_string(y); }

bool square_checks(std::uint64_t x, u128 y) {
  const u128 r = x % p61;
  return mod_p61(y) == mod_p61(r * r);
}

void report_completed(Report& report, const Options& options, int workers, double delay,
                      const std::vector<Completed>& completed, double seconds) {
  std::vector<int> seen(options.count, 0);
  std::vector<u128> y(options.count, 0);
  Json order = Json::array();
  bool in_order = true, exact = true;
  for (std::size_t k = 0; k < completed.size(); ++k) {
    const Completed& c = completed[k];
    if (c.index >= options.count) continue;
    ++seen[c.index];
    in_order = in_order && c.index == k;
    exact = exact && c.x == item(options.seed, c.index, options.max) && square_checks(c.x, c.y);
    y[c.index] = c.y;
    order.push_back({{"index", c.index}, {"x", c.x}, {"y", to_string(c.y)}});
  }
  std::size_t missing = 0, repeated = 0;
  for (int s : seen) missing += s == 0, repeated += s > 1;
  report.add("count", options.count)
      .add("workers", workers)
      .add("seed", options.seed)
      .add("max", options.max)
      .add("delay", delay, "delay", show(delay) + " s x value / max")
      .add("in_submission_order", in_order, "completion order",
           in_order ? "the submission order" : "differs from the submission order")
      .add("fingerprint", fingerprint(y))
      .add("seconds", seconds, "seconds", show(seconds));
  report.add_json("completed", order);
  std::string why;
  if (missing || repeated || completed.size() != options.count)
    why = std::to_string(missing) + " items missing, " + std::to_string(repeated) + " repeated";
  else if (!exact)
    why = "an input or a square is wrong";
  report.verdict(why.empty(), why);
}

std::vector<std::string> map_variants(const std::string& chosen) {
  if (chosen == "both") return {"loop", "eigen"};
  return {chosen};
}

std::uint64_t map_bytes(std::uint64_t count, std::size_t variants) { return count * 8 * (1 + variants); }

void print_mapped(const Report& report, const Options& options, const std::vector<std::uint64_t>& y) {
  if (report.json() || options.count > 20) return;
  for (std::uint64_t i = 0; i < options.count; ++i)
    std::printf("%s\n", line(item(options.seed, i, options.max), y[i]).c_str());
}

void report_mapped(Report& report, const Options& options, int workers, const std::vector<Mapped>& runs) {
  report.add("count", options.count).add("workers", workers).add("seed", options.seed).add("max", options.max);
  std::string why;
  Json variants = Json::object();
  double total = 0;
  for (const Mapped& run : runs) {
    std::string wrong;
    if (run.y.size() != options.count)
      wrong = std::to_string(run.y.size()) + " results for " + std::to_string(options.count) + " items";
    for (std::size_t i = 0; i < run.y.size() && wrong.empty(); ++i)
      if (!square_checks(item(options.seed, i, options.max), run.y[i]))
        wrong = "result " + std::to_string(i) + " is not the square of input " + std::to_string(i);
    if (!wrong.empty() && why.empty()) why = run.variant + ": " + wrong;
    const double rate = run.seconds > 0 ? options.count / run.seconds : 0.0;
    const std::uint64_t print = fingerprint(run.y);
    variants[run.variant] = {{"fingerprint", print}, {"seconds", run.seconds}, {"items_per_second", rate}};
    report.add(run.variant + "_seconds", run.seconds, run.variant,
               show(run.seconds) + " s, " + show(rate) + " items/s, fingerprint " + std::to_string(print));
    total += run.seconds;
  }
  report.add("seconds", total, "seconds", show(total));
  report.add_json("variants", variants);
  report.verdict(why.empty(), why);
}

u128 square_after_delay(std::uint64_t x, std::uint64_t max, double delay) {
  if (delay > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(delay * static_cast<double>(x) / static_cast<double>(max)));
  return u128{x} * x;
}

} // namespace paracon::squares
