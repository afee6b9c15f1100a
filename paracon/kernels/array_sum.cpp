#include "paracon/kernels/array_sum.hpp"

#include <new>

#include <sys/mman.h>

namespace paracon::array_sum {

// The kernels, compiled once per instruction set (array_sum_simd.cpp).
#define PARACON_DECLARE_KERNELS(isa)                                                                                   \
  namespace isa {                                                                                                      \
  void fill(std::int64_t* data, std::uint64_t count, std::uint64_t first);                                             \
  u128 sum_materialized(const std::int64_t* data, std::uint64_t count, std::uint64_t first);                           \
  u128 sum_lazy(std::uint64_t begin, std::uint64_t end);                                                               \
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

constexpr std::size_t huge_page = 2u << 20, page = 4096;

// An array of a huge page or more is mapped in whole huge pages (fewer page faults, fewer TLB
// misses); a smaller one in pages: a huge page for a few values would cost 2 MiB per rank, which
// adds up when many ranks share a node (or, simulated, one process).
std::size_t mapped_bytes(std::size_t count) {
  const std::size_t bytes = count * sizeof(std::int64_t), unit = bytes >= huge_page ? huge_page : page;
  return (bytes + unit - 1) / unit * unit;
}

} // namespace

#ifdef PARACON_HAVE_AVX2_KERNELS
#define PARACON_DISPATCH(call) (use_avx2() ? avx2::call : baseline::call)
#else
#define PARACON_DISPATCH(call) (baseline::call)
#endif

Buffer::Buffer(std::size_t count) : bytes_(mapped_bytes(count)) {
  if (bytes_ == 0) return;
  void* memory = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  if (bytes_ >= huge_page) madvise(memory, bytes_, MADV_HUGEPAGE); // a wish: the kernel may say no
  data_ = static_cast<std::int64_t*>(memory);
}

Buffer::~Buffer() {
  if (data_) munmap(data_, bytes_);
}

void first_touch(Slice slice) {
  constexpr Eigen::Index per_page = 4096 / sizeof(std::int64_t);
  for (Eigen::Index k = 0; k < slice.size(); k += per_page) slice[k] = 0;
}

void fill(Slice slice, std::uint64_t first) { PARACON_DISPATCH(fill(slice.data(), slice.size(), first)); }

u128 sum_materialized(const Slice& slice, std::uint64_t first) {
  return PARACON_DISPATCH(sum_materialized(slice.data(), slice.size(), first));
}

u128 sum_lazy(std::uint64_t begin, std::uint64_t end) { return PARACON_DISPATCH(sum_lazy(begin, end)); }

const char* kernel_isa() { return use_avx2() ? "avx2" : "baseline"; }

} // namespace paracon::array_sum
