// array_sum's kernels, compiled twice (CMake): with -mavx2 into namespace avx2 and without into
// namespace baseline. Eigen picks its SIMD packets when it is compiled, not when it runs, so a
// portable binary needs both; array_sum.cpp calls the one the CPU supports.
#include <algorithm>
#include <cstdint>

#include <Eigen/Core>

#include "paracon/kernels/exact.hpp"
#include "paracon/kernels/range_sum.hpp"

#ifndef PARACON_KERNEL_NAMESPACE
#error "compile with -DPARACON_KERNEL_NAMESPACE=avx2 or baseline"
#endif

namespace {

// The values first, first + 1, ... as an Eigen nullary functor: a value per index, or a SIMD
// packet of consecutive values (plset), so that .sum() of the expression vectorises.
struct Iota {
  std::int64_t first;
  std::int64_t operator()(Eigen::Index i) const { return first + i; }
  template <class Packet> Packet packetOp(Eigen::Index i) const {
    return Eigen::internal::plset<Packet>(first + static_cast<std::int64_t>(i));
  }
};

// The same values laid out as a grid of 16 rows: column c holds first + 16c, ..., first + 16c + 15.
// Eigen evaluates a column as four packets from ONE broadcast of its first value (the rows are
// known when it compiles), where the flat Iota costs a broadcast per packet.
struct Grid {
  std::int64_t first;
  std::int64_t operator()(Eigen::Index row, Eigen::Index column) const {
    return first + 16 * static_cast<std::int64_t>(column) + static_cast<std::int64_t>(row);
  }
  template <class Packet> Packet packetOp(Eigen::Index row, Eigen::Index column) const {
    using namespace Eigen::internal;
    return padd(pset1<Packet>(first + 16 * static_cast<std::int64_t>(column)),
                plset<Packet>(static_cast<std::int64_t>(row)));
  }
};

using Array = Eigen::Array<std::int64_t, Eigen::Dynamic, 1>;
using Grid16 = Eigen::Array<std::int64_t, 16, Eigen::Dynamic>;

// The most values from `first` on whose int64 sum cannot overflow: half of range_sum's unsigned
// 64-bit chunk (a power of two), so below 2^63; at least one value.
std::uint64_t signed_chunk(std::uint64_t first) {
  return std::max<std::uint64_t>(1, paracon::exact_chunk_length(first) / 2);
}

} // namespace

namespace Eigen::internal {
template <> struct functor_traits<Iota> {
  enum { Cost = 1, PacketAccess = true, IsRepeatable = true };
};
template <> struct functor_traits<Grid> {
  enum { Cost = 1, PacketAccess = true, IsRepeatable = true };
};
} // namespace Eigen::internal

namespace paracon::array_sum::PARACON_KERNEL_NAMESPACE {

void fill(std::int64_t* data, std::uint64_t count, std::uint64_t first) {
  Eigen::Map<Array>(data, static_cast<Eigen::Index>(count)) =
      Array::NullaryExpr(static_cast<Eigen::Index>(count), Iota{static_cast<std::int64_t>(first)});
}

// Chunks whose int64 sums cannot overflow (the length depends on the values), each summed by
// Eigen, added up in 128 bits.
u128 sum_materialized(const std::int64_t* data, std::uint64_t count, std::uint64_t first) {
  u128 total = 0;
  for (std::uint64_t k = 0; k < count;) {
    const std::uint64_t length = std::min(count - k, signed_chunk(first + k));
    total += static_cast<std::uint64_t>(Eigen::Map<const Array>(data + k, static_cast<Eigen::Index>(length)).sum());
    k += length;
  }
  return total;
}

// Each chunk as the sum of two grids, its lower and upper half added element by element: Eigen
// reduces a grid column by column in one chain of additions, and two halves side by side give
// that chain two columns' worth of work per step, which brings the expression up to the speed of
// the project's own range-sum kernel. What is left over (fewer than 32 values) goes flat.
u128 sum_lazy(std::uint64_t begin, std::uint64_t end) {
  u128 total = 0;
  for (std::uint64_t v = begin; v < end;) {
    const std::uint64_t length = std::min(end - v, signed_chunk(v));
    const auto columns = static_cast<Eigen::Index>(length / 32);
    const auto first = static_cast<std::int64_t>(v), half = 16 * static_cast<std::int64_t>(columns);
    if (columns > 0) {
      const auto lower = Grid16::NullaryExpr(16, columns, Grid{first});
      const auto upper = Grid16::NullaryExpr(16, columns, Grid{first + half});
      total += static_cast<std::uint64_t>((lower + upper).sum()); // evaluated here, in registers
    }
    const std::uint64_t rest = length - 2 * static_cast<std::uint64_t>(half);
    total +=
        static_cast<std::uint64_t>(Array::NullaryExpr(static_cast<Eigen::Index>(rest), Iota{first + 2 * half}).sum());
    v += length;
  }
  return total;
}
} // namespace paracon::array_sum::PARACON_KERNEL_NAMESPACE
