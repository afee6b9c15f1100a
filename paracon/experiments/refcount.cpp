#include "paracon/experiments/refcount.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace paracon::experiments::refcount {

void add_options(Cli& cli, Options& options, std::uint64_t default_increments, const std::vector<std::string>& names) {
  options.increments = default_increments;
  options.variants = names;
  cli.add_count("--increments", options.increments, "Increments per worker", 1, 1000000000);
  std::vector<std::string> choices = names;
  choices.insert(choices.begin(), "all");
  cli.app()
      .add_option_function<std::string>(
          "--variant",
          [&options, names](const std::string& name) {
            options.variants = name == "all" ? names : std::vector<std::string>{name};
          },
          "Which counter to run: all, or one of them")
      ->check(CLI::IsMember(choices))
      ->default_str("all");
}

void report(Report& report, const Options& options, int workers, const std::vector<Count>& counts,
            const std::string& other_failure) {
  report.add("workers", workers).add("increments", options.increments, "increments per worker");
  std::string why;
  Json variants = Json::object();
  for (const Count& c : counts) {
    const std::int64_t lost = static_cast<std::int64_t>(c.expected) - static_cast<std::int64_t>(c.observed);
    const double ns = c.expected ? c.seconds * 1e9 / static_cast<double>(options.increments * c.rounds) : 0.0;
    variants[c.variant] = {{"expected", c.expected}, {"observed", c.observed}, {"lost", lost},
                           {"seconds", c.seconds},   {"ns_per_increment", ns}, {"must_be_exact", c.exact_required},
                           {"rounds", c.rounds}};
    std::string text = std::to_string(c.observed) + " of " + std::to_string(c.expected);
    text += lost == 0 ? " (exact)" : lost > 0 ? " (" + std::to_string(lost) + " lost)" : " (too many!)";
    if (c.rounds > 1) text += " in " + std::to_string(c.rounds) + " rounds";
    char cost[64];
    std::snprintf(cost, sizeof cost, ", %.1f ns per increment", ns);
    report.add(c.variant, c.observed, c.variant, text + cost);
    if (why.empty() && ((c.exact_required && lost != 0) || lost < 0))
      why = c.variant + " counted " + std::to_string(c.observed) + ", expected " + std::to_string(c.expected);
  }
  double seconds = 0;
  for (const Count& c : counts) seconds += c.seconds;
  report.add("seconds", seconds, "seconds", format_seconds(seconds));
  report.add_json("variants", variants);
  if (why.empty()) why = other_failure;
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::refcount
