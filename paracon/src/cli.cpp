#include "paracon/cli.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace paracon {

Cli::Cli(std::string program, std::string description)
    : program_(std::move(program)), app_(std::move(description), program_) {
  app_.add_flag("--json", json_, "Print one JSON object instead of the human report");
  app_.footer("Exit codes: 0 results validated, 1 validation failed, 2 bad input.");
}

CLI::Option* Cli::add_count(const std::string& name, std::uint64_t& into, const std::string& description,
                            std::uint64_t min, std::uint64_t max) {
  const std::string shown = name; // the option's name as the user typed it, for messages
  auto* option = app_.add_option_function<std::string>(
      name,
      [&into, shown, min, max](const std::string& text) {
        try {
          into = parse_count(text, max);
        } catch (const std::invalid_argument& e) {
          throw CLI::ValidationError(shown, e.what());
        }
        if (into < min)
          throw CLI::ValidationError(shown, "'" + text + "' is too small: the least is " + std::to_string(min));
      },
      description);
  option->type_name("COUNT")->default_str(std::to_string(into));
  return option;
}

CLI::Option* Cli::add_list(const std::string& name, std::vector<std::uint64_t>& into, const std::string& description,
                           std::uint64_t min, std::uint64_t max) {
  auto* option = app_.add_option_function<std::string>(
      name,
      [&into, name, min, max](const std::string& text) {
        try {
          into = parse_list(text, min, max);
        } catch (const std::invalid_argument& e) {
          throw CLI::ValidationError(name, e.what());
        }
      },
      description);
  option->type_name("LIST");
  return option;
}

std::optional<int> Cli::parse(int argc, char** argv, bool speak) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    if (speak) std::cout << app_.help();
    return exit_validated;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    message = message.substr(0, message.find('\n')); // one line, always
    if (speak) print_error(program_, message + " (see --help)");
    return exit_usage;
  }
  return std::nullopt;
}

void print_error(const std::string& program, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n", program.c_str(), message.c_str());
  std::fflush(stderr);
}

} // namespace paracon
