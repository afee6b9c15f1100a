// The report every program ends with: a title, results as aligned "label  value" lines and a
// verdict for people, or with --json one JSON object on stdout for scripts and tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace paracon {

using Json = nlohmann::ordered_json;

// Names of the workers: the notebook's three (Bar, ba, dos), then Python's own default names
// for the rest ("Thread-4" for threads, "Process-4" for processes).
std::string worker_name(std::size_t index, const std::string& default_prefix);

// A number as people write it: 0.05, 1, 2.5e-05 (printf's %g).
std::string show(double value);

// A duration as every report shows one: three significant digits and a unit that keeps them
// readable: "12.3 s", "1.23 s", "123 ms", "45.6 us", "0 s".
std::string format_seconds(double seconds);

// Wall-clock seconds since construction, on a steady clock.
class Stopwatch {
public:
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_ = Clock::now();
};

class Report {
public:
  // `model` is "serial", "openmp", "mpi" or "hybrid"; `json` chooses the output form.
  Report(std::string experiment, std::string model, bool json);

  bool json() const { return json_; }

  // A result: JSON key and value; people see `label` (default: the key) and `text`
  // (default: the value, strings without quotes).
  Report& add(const std::string& key, Json value, std::string label = {}, std::string text = {});
  // A JSON-only field (per-worker details and the like).
  Report& add_json(const std::string& key, Json value);
  // The verdict; `why` says what failed. The first call gives it; later calls can only lower
  // it, so a check that failed is never overwritten by one that passed, and the first
  // failure's reason is the one reported.
  Report& verdict(bool valid, std::string why = {});
  bool valid() const { return valid_; }

  // The title line, for people only: printed before the work so that lines the workers
  // print while they run appear under it.
  void print_title(const std::string& subtitle) const;
  // Everything else: the results and the verdict, or the one JSON object.
  void print() const;

private:
  struct Line {
    std::string label, text;
  };
  std::string experiment_, model_;
  bool json_;
  Json object_;
  std::vector<Line> lines_;
  bool valid_ = false, judged_ = false;
  std::string why_;
};

} // namespace paracon
