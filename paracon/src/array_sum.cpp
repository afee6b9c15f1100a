#include "paracon/array_sum.hpp"

#include <new>

#include <sys/mman.h>

#include "paracon/range_sum.hpp"
#include "paracon/system.hpp"

namespace paracon::array_sum {

// The kernels, compiled once per instruction set (array_sum_kernels.cpp).
#define PARACON_DECLARE_KERNELS(isa)                                                                  \
  namespace isa {                                                                                     \
  void fill(std::int64_t* data, std::uint64_t count, std::uint64_t first);                           \
  u128 sum_materialized(const std::int64_t* data, std::uint64_t count, std::uint64_t first);         \
  u128 sum_lazy(std::uint64_t begin, std::uint64_t end);                                             \
  }
PARACON_DECLARE_KERNELS(baseline)
#ifdef PARACON_HAVE_AVX2_KERNELS
PARACON_DECLARE_KERNELS(avx2)
#endif

namespace {

bool use_avx2() {
#ifdef PARACON_HAVE_AVX2_KERNELS
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
#else
  return false;
#endif
}

constexpr std::size_t huge_page = 2u << 20;

} // namespace

#ifdef PARACON_HAVE_AVX2_KERNELS
#define PARACON_DISPATCH(call) (use_avx2() ? avx2::call : baseline::call)
#else
#define PARACON_DISPATCH(call) (baseline::call)
#endif

Buffer::Buffer(std::size_t count) : bytes_((count * sizeof(std::int64_t) + huge_page - 1) / huge_page * huge_page) {
  if (bytes_ == 0) return;
  void* memory = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  madvise(memory, bytes_, MADV_HUGEPAGE); // a wish: the kernel may say no, and that is fine
  data_ = static_cast<std::int64_t*>(memory);
}

Buffer::~Buffer() {
  if (data_) munmap(data_, bytes_);
}

void fill(Slice slice, std::uint64_t first) { PARACON_DISPATCH(fill(slice.data(), slice.size(), first)); }

u128 sum_materialized(const Slice& slice, std::uint64_t first) {
  return PARACON_DISPATCH(sum_materialized(slice.data(), slice.size(), first));
}

u128 sum_lazy(std::uint64_t begin, std::uint64_t end) { return PARACON_DISPATCH(sum_lazy(begin, end)); }

const char* kernel_isa() { return use_avx2() ? "avx2" : "baseline"; }

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
           std::to_string(wrapped) + (u128(static_cast<std::uint64_t>(wrapped)) == expected && wrapped >= 0
                                          ? " (right)"
                                          : " (wrapped)"))
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
                  {"fill_seconds", r.fill_seconds},
                  {"sum_seconds", r.sum_seconds},
                  {"values_per_ns", seconds > 0 ? static_cast<double>(options.n) / seconds / 1e9 : 0.0}};
    if (materialized) entry["gb_per_s"] = seconds > 0 ? bytes / seconds / 1e9 : 0.0;
    std::string text = to_string(r.sum) + ", % 23 = " + std::to_string(static_cast<unsigned>(r.sum % 23)) + ", " +
                       show(seconds) + " s";
    if (materialized)
      text += " (arange " + show(r.fill_seconds) + " s, sum " + show(r.sum_seconds) + " s, " +
              show(seconds > 0 ? bytes / seconds / 1e9 : 0) + " GB/s)";
    report.add(name + "_sum", to_string(r.sum), name, text);
    variants[name] = entry;
    if (r.sum != expected && why.empty()) why = name + " sum " + to_string(r.sum) + " differs from n(n-1)/2";
  }
  double seconds = 0;
  for (const Result& r : results) seconds += r.fill_seconds + r.sum_seconds;
  report.add("seconds", seconds, "seconds", show(seconds));
  std::uint64_t peak = 0;
  for (std::uint64_t p : peak_memory) peak = std::max(peak, p);
  report.add("peak_memory", peak, "peak memory per process", format_bytes(static_cast<double>(peak)));
  report.add_json("peak_memory_per_process", peak_memory);
  report.add_json("variants", variants);
  report.verdict(why.empty(), why);
}

} // namespace paracon::array_sum
