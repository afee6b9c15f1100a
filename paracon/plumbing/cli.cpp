#include "paracon/plumbing/cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>

#include "paracon/plumbing/system.hpp"

namespace paracon {
namespace {

// Wraps a parser of ours as a CLI11 option function: its refusal becomes CLI11's one line.
template <class Parse> auto validated(const std::string& name, Parse parse) {
  return [name, parse](const std::string& text) {
    try {
      parse(text);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError(name, e.what());
    }
  };
}

// The team OMP_NUM_THREADS asks for (its first number), or nothing when it does not ask.
std::optional<std::string> team_refusal() {
  const char* asked = std::getenv("OMP_NUM_THREADS");
  if (!asked || !*asked) return std::nullopt;
  const std::string first = std::string(asked).substr(0, std::string(asked).find(','));
  const std::uint64_t limit = thread_limit();
  try {
    const std::uint64_t threads = parse_count(first, max_count);
    if (threads == 0) return "OMP_NUM_THREADS=" + first + ": a team needs at least one thread";
    if (threads > limit)
      return "OMP_NUM_THREADS=" + first + " asks for more threads than this machine gives a program (at most " +
             std::to_string(limit) + ")";
  } catch (const std::invalid_argument& e) {
    return std::string("OMP_NUM_THREADS: ") + e.what();
  }
  return std::nullopt;
}

} // namespace

Cli::Cli(std::string program, std::string description, Threads threads)
    : program_(std::move(program)), app_(std::make_unique<CLI::App>(std::move(description), program_)),
      threads_(threads) {
  app_->add_flag("--json", json_, "Print one JSON object instead of the human report");
  app_->footer("Exit codes: 0 results validated, 1 validation failed, 2 bad input.");
}

Cli::~Cli() = default;

CLI::Option* Cli::add_choice(const std::string& name, std::string& into, const std::vector<std::string>& choices,
                             const std::string& description) {
  return app_->add_option(name, into, description)->check(CLI::IsMember(choices))->capture_default_str();
}

CLI::Option* Cli::add_count(const std::string& name, std::uint64_t& into, const std::string& description,
                            std::uint64_t min, std::uint64_t max) {
  auto* option = app_->add_option_function<std::string>(
      name,
      validated(name,
                [&into, min, max](const std::string& text) {
                  into = parse_count(text, max);
                  if (into < min)
                    throw std::invalid_argument(in_quotes(text) + " is too small: the least is " + std::to_string(min));
                }),
      description);
  option->type_name("COUNT")->default_str(std::to_string(into));
  return option;
}

CLI::Option* Cli::add_list(const std::string& name, std::vector<std::uint64_t>& into, const std::string& description,
                           std::uint64_t min, std::uint64_t max) {
  auto* option = app_->add_option_function<std::string>(
      name, validated(name, [&into, min, max](const std::string& text) { into = parse_list(text, min, max); }),
      description);
  option->type_name("LIST");
  return option;
}

CLI::Option* Cli::add_decimal(const std::string& name, double& into, const std::string& description, double min,
                              double max) {
  char shown[32];
  std::snprintf(shown, sizeof shown, "%g", into);
  auto* option = app_->add_option_function<std::string>(
      name, validated(name, [&into, min, max](const std::string& text) { into = parse_decimal(text, min, max); }),
      description);
  option->type_name("NUMBER")->default_str(shown);
  return option;
}

std::optional<int> Cli::parse(int argc, char** argv, bool speak) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    if (speak) std::cout << app_->help();
    return exit_validated;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    message = message.substr(0, message.find('\n'));                    // one line, always
    if (message.size() > 200) message = message.substr(0, 200) + "..."; // never a whole huge argument
    if (speak) print_error(program_, message + " (see --help)");
    return exit_usage;
  }
  if (threads_ == Threads::openmp)
    if (auto why = team_refusal()) {
      if (speak) print_error(program_, *why);
      return exit_usage;
    }
  return std::nullopt;
}

void print_error(const std::string& program, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n", program.c_str(), message.c_str());
  std::fflush(stderr);
}

} // namespace paracon
