#include "paracon/experiments/array_sum.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "paracon/kernels/range_sum.hpp"
#include "paracon/plumbing/system.hpp"

namespace paracon::experiments::array_sum {

using namespace paracon::array_sum;

void add_options(Cli& cli, Options& options) {
  cli.add_count("SIZE", options.n, "Sum np.arange(0, SIZE): the integers 0, ..., SIZE-1 (up to 2^63; 3e8 works)");
  cli.app()
      .add_option_function<std::string>(
          "--variant",
          [&options](const std::string& name) {
            options.variant = name == "materialized" ? Variant::materialized
                              : name == "lazy"       ? Variant::lazy
                                                     : Variant::both;
          },
          "materialized: an Eigen array of SIZE int64, like np.arange; lazy: an Eigen expression, no array; both")
      ->check(CLI::IsMember({"materialized", "lazy", "both"}))
      ->default_str("both");
}

bool runs(const Options& options, Variant variant) {
  return options.variant == Variant::both || options.variant == variant;
}

std::uint64_t bytes_needed(const Options& options, std::uint64_t count) {
  return runs(options, Variant::materialized) ? count * sizeof(std::int64_t) : 0;
}

void report(Report& report, const Options& options, int workers, const std::vector<Result>& results,
            const std::vector<std::uint64_t>& peak_memory) {
  const u128 expected = range_sum_closed_form(0, options.n);
  // numpy's int64 accumulator keeps the low 64 bits as a signed number; np.mod takes 23's sign.
  const auto wrapped = static_cast<std::int64_t>(static_cast<std::uint64_t>(expected));
  const unsigned numpy_mod23 = static_cast<unsigned>((wrapped % 23 + 23) % 23);
  report.add("n", options.n)
      .add("workers", workers)
      .add("kernel_isa", kernel_isa(), "SIMD kernels")
      .add("expected", to_string(expected), "n(n-1)/2")
      .add("numpy_int64_sum", std::to_string(wrapped), "numpy's int64 sum",
           std::to_string(wrapped) +
               (u128(static_cast<std::uint64_t>(wrapped)) == expected && wrapped >= 0 ? " (right)" : " (wrapped)"))
      .add("numpy_int64_mod23", numpy_mod23, "numpy's answer % 23");
  std::string why;
  Json variants = Json::object();
  for (const Result& r : results) {
    const bool materialized = r.variant == Variant::materialized;
    const std::string name = materialized ? "materialized" : "lazy";
    const double seconds = r.fill_seconds + r.sum_seconds;
    // Bytes that crossed the memory bus: the array written by the fill and read by the sum.
    const double bytes = materialized ? 2.0 * 8.0 * static_cast<double>(options.n) : 0.0;
    Json entry = {{"sum", to_string(r.sum)},
                  {"mod23", static_cast<unsigned>(r.sum % 23)},
                  {"seconds", seconds},
                  {"first_touch_seconds", r.touch_seconds},
                  {"fill_seconds", r.fill_seconds},
                  {"sum_seconds", r.sum_seconds},
                  {"values_per_ns", seconds > 0 ? static_cast<double>(options.n) / seconds / 1e9 : 0.0}};
    if (materialized) entry["gb_per_s"] = seconds > 0 ? bytes / seconds / 1e9 : 0.0;
    std::string text = to_string(r.sum) + ", % 23 = " + std::to_string(static_cast<unsigned>(r.sum % 23)) + ", " +
                       format_seconds(seconds);
    if (materialized)
      text += " (arange " + format_seconds(r.fill_seconds) + ", sum " + format_seconds(r.sum_seconds) + ", " +
              show(seconds > 0 ? bytes / seconds / 1e9 : 0) + " GB/s)";
    report.add(name + "_sum", to_string(r.sum), name, text);
    variants[name] = entry;
    if (r.sum != expected && why.empty()) why = name + " sum " + to_string(r.sum) + " differs from n(n-1)/2";
  }
  double seconds = 0;
  for (const Result& r : results) seconds += r.fill_seconds + r.sum_seconds;
  double touch = 0;
  for (const Result& r : results) touch += r.touch_seconds;
  report.add("seconds", seconds, "seconds", format_seconds(seconds));
  if (touch > 0) report.add("first_touch_seconds", touch, "first touch",
                            format_seconds(touch) + " (the OS mapping the array's pages, before the clock)");
  std::uint64_t peak = 0;
  for (std::uint64_t p : peak_memory) peak = std::max(peak, p);
  report.add("peak_memory", peak, "peak memory per process", format_bytes(static_cast<double>(peak)));
  report.add_json("peak_memory_per_process", peak_memory);
  report.add_json("variants", variants);
  report.verdict(why.empty(), why);
}

} // namespace paracon::experiments::array_sum
