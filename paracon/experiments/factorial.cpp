#include "paracon/experiments/factorial.hpp"

#include <CLI/CLI.hpp>

#include <cmath>

namespace paracon::experiments::factorial {

void add_options(Cli& cli, Options& options) {
  cli.add_count("N", options.n, "Compute N! (the notebook's 5; 1e6 and more work)", 0, std::uint64_t{1} << 32);
  cli.add_count("--steps", options.steps, "Steps of the recurrence x_{k+1} = (x_k^2 + 1) mod (2^61 - 1)", 0,
                std::uint64_t{1} << 40);
  cli.app().add_flag("--loop", options.loop,
                     "Also time the notebook's loop, one factor at a time (quadratic: slow beyond N = 3e5)");
}

std::uint64_t bytes_needed(const Options& options, int workers, bool holds_result) {
  // log2(n!) ~ n log2(n) - n log2(e): the result's bits. A product tree holds about three
  // numbers of its final size at its last step: the worker's share of n!, and the whole of it
  // where the shares meet.
  const double n = static_cast<double>(options.n);
  const double result = n < 2 ? 8 : (n * std::log2(n) - n * std::log2(std::exp(1.0))) / 8;
  return static_cast<std::uint64_t>(3 * result / std::max(workers, 1) + (holds_result ? 3 * result : 0));
}

void report(Report& report, const Options& options, const mpz_class& value, int workers, const Timing& timing,
            const Recurrence& recurrence) {
  const paracon::factorial::Facts f = paracon::factorial::read_facts(value, options.n);
  Stopwatch gmp_clock;
  const mpz_class gmp = paracon::factorial::gmp_factorial(options.n);
  const double gmp_seconds = gmp_clock.seconds();
  Stopwatch check_clock;
  std::string why = paracon::factorial::check(f, value, gmp);
  const double check_seconds = check_clock.seconds();
  if (why.empty() && !timing.loop_agrees) why = "the notebook's loop and the reduction differ";
  if (why.empty() && recurrence.serial != paracon::factorial::iterate_gmp(2, options.steps))
    why = "the recurrence in order differs from the same recurrence in GMP arithmetic";
  if (why.empty() && recurrence.naive != paracon::factorial::iterate(2, recurrence.last_block))
    why = "the naive parallel loop did not give what its mistake predicts";

  const double seconds = timing.seconds;
  report.add("workers", workers).add("n", options.n);
  if (f.digits <= 50) report.add("value", std::string(f.value), "n!");
  report.add("digits", f.digits)
      .add("trailing_zeros", f.trailing_zeros, "trailing zeros",
           std::to_string(f.trailing_zeros) +
               " (Legendre: " + std::to_string(paracon::factorial::legendre_zeros(options.n)) + ")")
      .add("mod_m61", f.mod_m61, "mod 2^61-1")
      .add("seconds", seconds, "seconds", format_seconds(seconds) + " (primes, shares, reduction, last multiplication)")
      .add("last_seconds", timing.last_seconds, "last multiplication",
           format_seconds(timing.last_seconds) + " (" +
               std::to_string(static_cast<int>(seconds > 0 ? 100 * timing.last_seconds / seconds + 0.5 : 0)) +
               "%: the serial part, shared by two workers)")
      .add("gmp_seconds", gmp_seconds, "GMP's mpz_fac_ui",
           format_seconds(gmp_seconds) + " on one core: " + show(seconds > 0 ? gmp_seconds / seconds : 0) +
               " times as long as this run");
  if (timing.loop_seconds >= 0)
    report.add("loop_seconds", timing.loop_seconds, "notebook loop",
               format_seconds(timing.loop_seconds) + " on one worker");
  report.add("check_seconds", check_seconds, "checks", format_seconds(check_seconds))
      .add("steps", options.steps, "recurrence steps")
      .add("recurrence", std::to_string(recurrence.serial), "x_K in order")
      .add("recurrence_naive", std::to_string(recurrence.naive), "x_K naive loop",
           std::to_string(recurrence.naive) + (recurrence.naive == recurrence.serial
                                                   ? " (right: one worker, or the last one started at 0)"
                                                   : " (WRONG, as it must be: the last worker started from x_0)"))
      .add("naive_is_wrong", recurrence.naive != recurrence.serial, "naive is wrong",
           recurrence.naive != recurrence.serial ? "yes" : "no");
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::factorial
