// Command lines, parsed by CLI11, with the project's conventions: --help, --json, one line on
// stderr and exit code 2 for any bad input, and the same verdict on every MPI rank (every
// rank parses the same argv; only the one allowed to speak prints).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "paracon/plumbing/numbers.hpp"

// CLI11's classes, known here by name only: a program never needs the whole of CLI11 (the glue
// code that adds options of its own includes <CLI/CLI.hpp>).
namespace CLI {
class App;
class Option;
} // namespace CLI

namespace paracon {

// Exit codes of every program: the same on every rank.
enum Exit : int {
  exit_validated = 0, // the results were checked and are right
  exit_failed = 1,    // a check failed
  exit_usage = 2,     // bad input, or the run cannot start as asked
};

// Whether the program starts OpenMP threads: then the team OMP_NUM_THREADS asks for is checked
// with the arguments, before the first parallel region (70 000 threads cannot be had).
enum class Threads { none, openmp };

class Cli {
public:
  // `program` names the experiment in messages ("range_sum"); --json is always there.
  Cli(std::string program, std::string description, Threads threads = Threads::none);
  ~Cli();
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  CLI::App& app() { return *app_; }
  bool json() const { return json_; }

  // A count argument (SIZE, --count): parsed by parse_count, so "3e8" works and "1.5e3",
  // "-1" or "1e19" are refused with a clear line. `min` refuses zero where it is meaningless.
  CLI::Option* add_count(const std::string& name, std::uint64_t& into, const std::string& description,
                         std::uint64_t min = 0, std::uint64_t max = max_count);

  // A list argument (--bases 1..6): parsed by parse_list.
  CLI::Option* add_list(const std::string& name, std::vector<std::uint64_t>& into, const std::string& description,
                        std::uint64_t min, std::uint64_t max);

  // A decimal argument (--delay 0.05): parsed by parse_decimal, finite and within [min, max].
  CLI::Option* add_decimal(const std::string& name, double& into, const std::string& description, double min,
                           double max);

  // One name of a few (--mode serial|threads|multi); `into` holds the default.
  CLI::Option* add_choice(const std::string& name, std::string& into, const std::vector<std::string>& choices,
                          const std::string& description);

  // Parses argv (and, for OpenMP programs, OMP_NUM_THREADS). Returns nothing when the program
  // should go on; otherwise the exit code: 0 after --help, 2 after bad input (one line on
  // stderr). Prints only when `speak`.
  std::optional<int> parse(int argc, char** argv, bool speak = true);

private:
  std::string program_;
  std::unique_ptr<CLI::App> app_;
  Threads threads_;
  bool json_ = false;
};

// Prints "program: error: message" on stderr: the one line every refusal uses.
void print_error(const std::string& program, const std::string& message);

} // namespace paracon
