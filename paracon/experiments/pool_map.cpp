#include "paracon/experiments/pool_map.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace paracon::experiments::pool_map {

void add_options(Cli& cli, Options& options) {
  cli.add_count("--seed", options.seed, "Seed of the inputs: the same seed, the same list");
  cli.add_count("--count", options.count, "How many numbers to square (up to 1e8)", 1, 100000000);
  cli.add_count("--max", options.max,
                "Inputs are below this, like np.random.randint(MAX); at most 2^32, so squares fit 64 bits", 1,
                max_value);
  cli.app()
      .add_option_function<std::string>(
          "--variant",
          [&options](const std::string& name) {
            options.variants = name == "both" ? std::vector<std::string>{"loop", "eigen"} : std::vector{name};
          },
          "loop: a parallel loop; eigen: Y = X.square(), np.power(X, 2); both")
      ->check(CLI::IsMember({"loop", "eigen", "both"}))
      ->default_str("both");
}

std::uint64_t bytes_needed(const Options& options, std::uint64_t count) {
  return count * 8 * (1 + options.variants.size());
}

void print_lines(const Report& report, const Options& options, const std::vector<std::uint64_t>& y) {
  if (report.json() || options.count > 20) return;
  for (std::uint64_t i = 0; i < options.count; ++i)
    std::printf("%s\n", squares::line(squares::item(options, i), y[i]).c_str());
}

void report(Report& report, const Options& options, int workers, const std::vector<Mapped>& runs) {
  report.add("count", options.count).add("workers", workers).add("seed", options.seed).add("max", options.max);
  std::string why;
  Json variants = Json::object();
  double total = 0;
  for (const Mapped& run : runs) {
    std::string wrong;
    if (run.y.size() != options.count)
      wrong = std::to_string(run.y.size()) + " results for " + std::to_string(options.count) + " items";
    // Every result against its input regenerated from the seed: the first one that is not its
    // square, if any (y holds 64 bits, so inputs are below 2^32 and the square is exact).
    std::size_t bad = run.y.size();
    for (std::size_t i = 0; i < run.y.size(); ++i) {
      const std::uint64_t x = squares::item(options, i);
      if (x * x != run.y[i]) {
        bad = i;
        break;
      }
    }
    if (bad < run.y.size() && wrong.empty())
      wrong = "result " + std::to_string(bad) + " is not the square of input " + std::to_string(bad);
    if (!wrong.empty() && why.empty()) why = run.variant + ": " + wrong;
    const double rate = run.seconds > 0 ? options.count / run.seconds : 0.0;
    const std::uint64_t print = squares::fingerprint(run.y);
    variants[run.variant] = {{"fingerprint", print}, {"seconds", run.seconds}, {"items_per_second", rate}};
    report.add(run.variant + "_seconds", run.seconds, run.variant,
               format_seconds(run.seconds) + ", " + show(rate) + " items/s, fingerprint " + std::to_string(print));
    total += run.seconds;
  }
  report.add("seconds", total, "seconds", format_seconds(total));
  report.add_json("variants", variants);
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::pool_map
