#include "paracon/experiments/gather.hpp"

#include <nlohmann/json.hpp>

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

double predicted_seconds(const Options& options, const std::string& mode, int threads) {
  return options.delay * (mode == "depend" || threads < 2 ? 2 : 1);
}

void report_tasks(Report& report, const Options& options, int threads, const std::vector<TaskRun>& runs,
                  double tolerance) {
  std::string why;
  double total = 0;
  Json modes = Json::object();
  for (const TaskRun& run : runs) {
    total += run.seconds;
    modes[run.mode] = {{"lines", run.lines}, {"seconds", run.seconds}, {"predicted_seconds", run.predicted}};
    report.add(run.mode, run.seconds, run.mode,
               format_seconds(run.seconds) + ", predicted " + format_seconds(run.predicted));
    if (why.empty()) why = check_lines(run.lines);
    if (why.empty() && (run.seconds < run.predicted * 0.95 || run.seconds > run.predicted + tolerance))
      why = run.mode + " took " + format_seconds(run.seconds) + ", predicted " + format_seconds(run.predicted);
  }
  report.add("workers", threads).add("delay", options.delay).add("seconds", total, "seconds", format_seconds(total));
  report.add_json("modes", modes);
  report.verdict(why.empty(), why);
}

void report_requests(Report& report, const Options& options, int ranks, const RequestRun& run) {
  const double predicted = options.delay * (run.owners == 1 ? 2 : 1);
  std::string why = check_lines(run.lines);
  if (why.empty() && !run.units_right) why = "a unit of unrelated work summed wrong";
  if (why.empty() && !run.payload_right) why = "the large message arrived corrupted";
  report.add("workers", ranks)
      .add("delay", options.delay)
      .add("seconds", run.seconds, "gather took",
           format_seconds(run.seconds) + " (a() and b() on " + (run.owners == 1 ? "one rank: " : "two ranks: ") +
               format_seconds(predicted) + " of waits)")
      .add("units_while_waiting", run.units, "work while waiting",
           std::to_string(run.units) + " units in " + std::to_string(run.polls) + " MPI_Testall polls")
      .add("payload", run.payload, "large message", show(static_cast<double>(run.payload) / (1 << 20)) + " MiB")
      .add("wait_without_progress", run.wait_without_progress, "MPI_Wait after no MPI calls",
           format_seconds(run.wait_without_progress) + ": the transfer had waited")
      .add("wait_with_progress", run.wait_with_progress, "MPI_Wait after MPI_Test calls",
           format_seconds(run.wait_with_progress));
  report.add_json("lines", run.lines);
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::gather
