// numpy's `np.arange(0, size)` and its sum, with Eigen, in two forms (notebook 000, Act 2,
// "Módulos externos"):
//
// materialized: an Eigen array of int64 holding 0, 1, ..., like np.arange: 8 bytes a value,
//   written, then read again by the sum ("WARNING: A LOT OF RAM").
// lazy: the same values as an Eigen expression (NullaryExpr) that .sum() evaluates as it goes:
//   no array, O(1) memory, and nothing to wait for but the adds.
// Both are exact for every size: values are summed in chunks whose 64-bit sums cannot overflow,
// and the chunks meet in 128 bits, where numpy's int64 sum wraps from size 2^32 + 1 on. Eigen
// picks its SIMD instructions when it is compiled, so the kernels are built twice (AVX2 and
// baseline x86-64) and the CPU the program runs on chooses.
#pragma once

#include <cstddef>
#include <cstdint>

#include <Eigen/Core>

#include "paracon/kernels/exact.hpp"

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
  Slice slice(std::size_t begin, std::size_t end) {
    return Slice(data_ + begin, static_cast<Eigen::Index>(end - begin));
  }

private:
  std::int64_t* data_ = nullptr;
  std::size_t bytes_ = 0;
};

// One write per page of the slice: the OS maps its pages (zeroed) now, on the NUMA node of the
// thread that calls it. What a fresh array costs before a value is in it: on a machine whose
// memory was never touched this is the slow part, and it varies from run to run.
void first_touch(Slice slice);
// slice[k] = first + k: np.arange's values, written by evaluating the lazy expression into memory.
void fill(Slice slice, std::uint64_t first);
// The exact sum of a slice that fill() wrote from `first` (the chunk lengths depend on the values).
u128 sum_materialized(const Slice& slice, std::uint64_t first);
// The exact sum of begin, ..., end - 1 as an Eigen expression, never stored.
u128 sum_lazy(std::uint64_t begin, std::uint64_t end);
// Which SIMD code the kernels run: "avx2" or "baseline" (chosen at run time).
const char* kernel_isa();

} // namespace paracon::array_sum
