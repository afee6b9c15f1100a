// The report every program ends with: a title, results as aligned "label  value" lines and a
// verdict for people, or with --json one JSON object on stdout for scripts and tests.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp> // the programs never need the whole of nlohmann/json: the glue does

namespace paracon {

using Json = nlohmann::ordered_json;

// One value of a report: a number, a flag, a text, or a list of texts or of counts.
class Value {
public:
  Value(bool v) : v_(v) {}
  template <std::signed_integral T> Value(T v) : v_(static_cast<std::int64_t>(v)) {}
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) Value(T v) : v_(static_cast<std::uint64_t>(v)) {}
  template <std::floating_point T> Value(T v) : v_(static_cast<double>(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::vector<std::string> v) : v_(std::move(v)) {}
  Value(std::vector<std::uint64_t> v) : v_(std::move(v)) {}

  Json json() const;
  std::string text() const; // as people read it: strings without quotes

private:
  std::variant<bool, std::int64_t, std::uint64_t, double, std::string, std::vector<std::string>,
               std::vector<std::uint64_t>>
      v_;
};

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
  ~Report();
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  bool json() const { return json_; }

  // A result: JSON key and value; people see `label` (default: the key) and `text`
  // (default: the value, strings without quotes).
  Report& add(const std::string& key, Value value, std::string label = {}, std::string text = {});
  // A JSON-only field (per-worker details and the like; the glue code builds them).
  Report& add_json(const std::string& key, Json value);
  // A line for people only.
  Report& line(std::string label, std::string text);
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
  std::unique_ptr<Json> object_;
  std::vector<Line> lines_;
  bool valid_ = false, judged_ = false;
  std::string why_;
};

} // namespace paracon
