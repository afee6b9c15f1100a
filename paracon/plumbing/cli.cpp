#include "paracon/plumbing/cli.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string_view>

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

// OMP_NUM_THREADS is read by the OpenMP runtime as soon as it is loaded (GCC's libgomp, before
// main), and a value it cannot read makes it print lines of its own, or run with a default after
// a warning. So the program reads it first: a function in .preinit_array runs before any shared
// library's initialisation. Each comma-separated item must be a count of at least one thread by
// the options' own rule (count_value); a value that is one is written back in plain digits for
// the runtime ("2e0" -> "2"), any other is kept here and removed from the environment, and the
// command line refuses it like any bad option (Cli::parse). No allocation of ours and no
// exception: the C++ runtime has not started yet.
struct TeamAsked {
  bool set = false, refused = false, cut = false;
  char text[256] = {};
  char rewritten[320] = {}; // "OMP_NUM_THREADS=" and the value in digits, for the runtime
} team_asked;

// The C library does not know its environment yet (it learns it when it starts, after this):
// the array of the process's environment is edited in place, which is the one it will use.
void read_team_early(int, char**, char** environment) {
  constexpr std::string_view name = "OMP_NUM_THREADS=";
  char** entry = environment;
  while (entry && *entry && std::string_view(*entry).substr(0, name.size()) != name) ++entry;
  if (!entry || !*entry) return;
  const char* value = *entry + name.size();
  team_asked.set = true;
  const std::size_t length = std::strlen(value);
  team_asked.cut = length >= sizeof team_asked.text;
  std::memcpy(team_asked.text, value, std::min(length, sizeof team_asked.text - 1));
  std::memcpy(team_asked.rewritten, name.data(), name.size());
  std::size_t used = name.size();
  bool readable = !team_asked.cut && length > 0;
  for (std::string_view rest(value, length); readable;) {
    const std::size_t comma = rest.find(',');
    std::uint64_t threads = 0;
    readable = count_value(rest.substr(0, comma), max_count, threads) == CountError::none && threads >= 1;
    if (readable) {
      const int n = std::snprintf(team_asked.rewritten + used, sizeof team_asked.rewritten - used, "%s%llu",
                                  used > name.size() ? "," : "", static_cast<unsigned long long>(threads));
      readable = n > 0 && used + static_cast<std::size_t>(n) < sizeof team_asked.rewritten;
      used += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (readable) {
    *entry = team_asked.rewritten;
  } else { // out of the environment: every later entry moves up one
    team_asked.refused = true;
    for (; *entry; ++entry) *entry = entry[1];
  }
}

// A shared object (SimGrid's smpirun loads the MPI programs as one) may have no .preinit_array:
// there it runs as its library initialiser, which the MPI-only programs it builds can afford.
#ifdef PARACON_SHARED_OBJECT
__attribute__((constructor)) void read_team_first(int argc, char** argv, char** environment) {
  read_team_early(argc, argv, environment); // glibc gives initialisers the process's arguments
}
#else
__attribute__((section(".preinit_array"), used)) void (*const read_team_first)(int, char**, char**) = read_team_early;
#endif

// The team OMP_NUM_THREADS asks for, refused with the options' words, or nothing.
std::optional<std::string> team_refusal() {
  if (!team_asked.set) return std::nullopt;
  const std::string asked = team_asked.text;
  if (team_asked.cut) return "OMP_NUM_THREADS is too long (" + in_quotes(asked) + ")";
  if (asked.empty()) return std::string("OMP_NUM_THREADS is set but empty: give a number of threads, such as 2");
  const std::uint64_t limit = thread_limit();
  std::string_view rest = asked;
  for (bool first = true;; first = false) {
    const std::size_t comma = rest.find(',');
    const std::string item(rest.substr(0, comma));
    try {
      if (item.empty()) return "OMP_NUM_THREADS=" + in_quotes(asked) + " has an empty item: write 2, or 4,2";
      const std::uint64_t threads = parse_count(item, max_count);
      if (threads == 0) return "OMP_NUM_THREADS=" + item + ": a team needs at least one thread";
      if (first && threads > limit)
        return "OMP_NUM_THREADS=" + item + " asks for more threads than this machine gives a program (at most " +
               std::to_string(limit) + ")";
    } catch (const std::invalid_argument& e) {
      return std::string("OMP_NUM_THREADS: ") + e.what();
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
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
