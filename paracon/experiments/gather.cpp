#include "paracon/experiments/gather.hpp"

#include <chrono>
#include <thread>

namespace paracon::experiments::gather {

const std::vector<std::string>& notebook_lines() {
  static const std::vector<std::string> lines{"a", "ba", "ca", "xi", "!"};
  return lines;
}

void add_options(Cli& cli, Options& options) {
  cli.add_decimal("--delay", options.delay, "Seconds a() and b() each wait before they have their value", 0, 10);
}

namespace {
std::string after_delay(const Options& options, std::string value) {
  std::this_thread::sleep_for(std::chrono::duration<double>(options.delay));
  return value;
}
} // namespace

std::string coroutine_a(const Options& options) { return after_delay(options, "ba"); }
std::string coroutine_b(const Options& options) { return after_delay(options, "ca"); }

std::string check_lines(const std::vector<std::string>& lines) {
  if (lines == notebook_lines()) return {};
  std::string got;
  for (const auto& line : lines) got += (got.empty() ? "" : " ") + line;
  return "printed '" + got + "', the notebook prints 'a ba ca xi !'";
}

} // namespace paracon::experiments::gather
