// numpy's `np.mod(np.sum(np.arange(0, size)), 23)` (notebook 000, Act 2, "Módulos externos") with
// Eigen, in two forms, and what the array_sum programs share besides their parallel construct.
//
// materialized: an Eigen array of int64 holding 0, 1, ..., like np.arange: 8 bytes a value,
//   written, then read again by the sum ("WARNING: A LOT OF RAM").
// lazy: the same values as an Eigen expression (NullaryExpr) that .sum() evaluates as it goes:
//   no array, O(1) memory, and nothing to wait for but the adds.
// Both are exact for every size: values are summed in chunks whose 64-bit sums cannot overflow,
// and the chunks meet in 128 bits, where numpy's int64 sum wraps from size 2^32 + 1 on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "paracon/cli.hpp"
#include "paracon/exact.hpp"
#include "paracon/report.hpp"

namespace paracon::array_sum {

using Array = Eigen::Array<std::int64_t, Eigen::Dynamic, 1>; // numpy's int64 arange
using Slice = Eigen::Map<Array>;

// Memory for `count` int64 values straight from the OS, asking for huge pages (madvise): a
// 2.4 GB arange then costs 1 200 page faults instead of 600 000. Freed on destruction.
class Buffer {
public:
  explicit Buffer(std::size_t count);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Slice slice(std::size_t begin, std::size_t end) { return Slice(data_ + begin, static_cast<Eigen::Index>(end - begin)); }

private:
  std::int64_t* data_ = nullptr;
  std::size_t bytes_ = 0;
};

// slice[k] = first + k: np.arange's values, written by evaluating the lazy expression into memory.
void fill(Slice slice, std::uint64_t first);
// The exact sum of a slice that fill() wrote from `first` (the chunk lengths depend on the values).
u128 sum_materialized(const Slice& slice, std::uint64_t first);
// The exact sum of begin, ..., end - 1 as an Eigen expression, never stored.
u128 sum_lazy(std::uint64_t begin, std::uint64_t end);
// Which SIMD code the kernels run: "avx2" or "baseline" (chosen at run time).
const char* kernel_isa();

enum class Variant { materialized, lazy, both };

struct Options {
  std::uint64_t n = 999; // the notebook's cold size
  Variant variant = Variant::both;
};

void add_options(Cli& cli, Options& options);
bool runs(const Options& options, Variant variant);
// Bytes the materialized array of `count` values takes (0 when that variant is not run).
std::uint64_t bytes_needed(const Options& options, std::uint64_t count);
// What to say when the materialized array does not fit (for paracon::memory_refusal).
inline const char* memory_advice = "try a smaller SIZE, more ranks, or --variant lazy, which needs no array";

// One variant's run, for the report.
struct Result {
  Variant variant;
  u128 sum = 0;
  double fill_seconds = 0; // materialized only: np.arange's part
  double sum_seconds = 0;
};

// The report: per variant the sum, sum % 23, its time and bandwidth; numpy's int64 answer; peak
// memory per process; verdict: every sum equals n(n-1)/2.
void report(Report& report, const Options& options, int workers, const std::vector<Result>& results,
            const std::vector<std::uint64_t>& peak_memory);

} // namespace paracon::array_sum
