#include "paracon/experiments/range_sum.hpp"

#include <cstdio>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "paracon/kernels/range_sum.hpp"

namespace paracon::experiments::range_sum {
namespace {

unsigned mod23(u128 v) { return static_cast<unsigned>(v % 23); }

// What `np.mod(np.sum(np.arange(0, n)), 23)` prints: numpy adds in int64, which keeps the
// low 64 bits of the sum as a signed number, and np.mod's result takes the divisor's sign.
unsigned numpy_int64_mod23(u128 exact) {
  const auto wrapped = static_cast<std::int64_t>(static_cast<std::uint64_t>(exact));
  return static_cast<unsigned>((wrapped % 23 + 23) % 23);
}

std::string show_range(const Range& r) { return "[" + std::to_string(r.begin) + ", " + std::to_string(r.end) + ")"; }

} // namespace

void add_options(Cli& cli, Options& options, bool with_mode) {
  cli.add_count("SIZE", options.n, "Sum the integers 0, 1, ..., SIZE-1 (up to 2^63; 3e8 and 10e9 work)");
  if (with_mode)
    cli.app()
        .add_option_function<std::string>(
            "--mode",
            [&options](const std::string& name) { options.mode = name == "split" ? Mode::split : Mode::replicate; },
            "replicate: every worker sums the whole range (the notebook's); "
            "split: the workers share the range and reduce")
        ->check(CLI::IsMember({"replicate", "split"}))
        ->default_str("replicate");
}

const char* mode_name(Mode mode) {
  switch (mode) {
  case Mode::replicate: return "replicate";
  case Mode::split: return "split";
  case Mode::serial: return "serial";
  }
  return "?";
}

std::string worker_line(Mode mode, const std::string& name, const Worker& worker) {
  std::string line = name + " " + std::to_string(mod23(worker.sum));
  if (mode == Mode::split) line += "  (summed " + show_range(worker.part) + ")";
  return line;
}

void print_lines(const Report& report, const Options& options, const std::vector<Worker>& workers,
                 const std::string& name_prefix) {
  if (report.json()) return;
  for (std::size_t k = 0; k < workers.size(); ++k)
    std::printf("%s\n", worker_line(options.mode, worker_name(k, name_prefix), workers[k]).c_str());
}

std::string check(const Options& options, const std::vector<Worker>& workers, u128 total) {
  const u128 expected = range_sum_closed_form(0, options.n);
  std::uint64_t next = 0; // where the next split part must begin
  for (std::size_t k = 0; k < workers.size(); ++k) {
    const Worker& w = workers[k];
    if (options.mode == Mode::replicate && w.part != Range{0, options.n})
      return "worker " + std::to_string(k) + " did not sum the whole range";
    if (options.mode != Mode::replicate && w.part.begin != next)
      return "part " + std::to_string(k) + " starts at " + std::to_string(w.part.begin) + ", not " +
             std::to_string(next);
    if (w.sum != range_sum_closed_form(w.part.begin, w.part.end))
      return "worker " + std::to_string(k) + " summed " + show_range(w.part) + " to " + to_string(w.sum) +
             ", the closed form says " + to_string(range_sum_closed_form(w.part.begin, w.part.end));
    next = w.part.end;
  }
  if (options.mode != Mode::replicate && next != options.n)
    return "the parts end at " + std::to_string(next) + ", not at n = " + std::to_string(options.n);
  if (total != expected) return "total " + to_string(total) + " differs from n(n-1)/2 = " + to_string(expected);
  return {};
}

void report(Report& report, const Options& options, const std::vector<Worker>& workers, const std::string& name_prefix,
            u128 total, double seconds) {
  const u128 expected = range_sum_closed_form(0, options.n);
  report.add("mode", mode_name(options.mode))
      .add("workers", workers.size())
      .add("n", options.n)
      .add("sum", to_string(total))
      .add("mod23", mod23(total), "sum % 23")
      .add("expected", to_string(expected), "n(n-1)/2")
      .add("numpy_int64_mod23", numpy_int64_mod23(total), "numpy int64",
           std::to_string(numpy_int64_mod23(total)) +
               (numpy_int64_mod23(total) == mod23(total) ? " (agrees)" : " (wrong: its int64 sum wrapped)"))
      .add("seconds", seconds, "seconds", format_seconds(seconds));
  Json detail = Json::array();
  for (std::size_t k = 0; k < workers.size(); ++k)
    detail.push_back({{"name", worker_name(k, name_prefix)},
                      {"begin", workers[k].part.begin},
                      {"end", workers[k].part.end},
                      {"sum", to_string(workers[k].sum)},
                      {"mod23", mod23(workers[k].sum)},
                      {"seconds", workers[k].seconds}});
  report.add_json("worker_results", std::move(detail));
  const std::string why = check(options, workers, total);
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::range_sum
