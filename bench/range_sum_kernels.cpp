// Times the range-sum kernels side by side, interleaved, and prints one JSON object:
//   exact     paracon::range_sum: SIMD lanes in overflow-free chunks, 128-bit total
//   wrapping  paracon::range_sum_wrapping: the same lanes, no chunks, wraps modulo 2^64
//   plain     `for (i = 0; i < n; ++i) s += i` as a student writes it (wraps modulo 2^64)
// Usage: range_sum_kernels [N] [REPETITIONS]   (bench/range_sum.py runs it)
// Built with Clang, the plain loop is replaced by the closed form and takes no time: the
// report says so instead of printing a meaningless rate.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "paracon/kernels/range_sum.hpp"
#include "paracon/plumbing/numbers.hpp"
#include "paracon/plumbing/report.hpp"

#include "median.hpp"

namespace {

// `begin` arrives at run time: with a constant 0, GCC too replaces the loop by n(n-1)/2.
__attribute__((noinline)) std::uint64_t plain_loop(std::uint64_t begin, std::uint64_t end) {
  std::uint64_t s = 0;
  for (std::uint64_t i = begin; i < end; ++i) s += i;
  return s;
}

// The compiler knows plain_loop has no side effects and could move the call out of the timed
// region; an empty asm that "uses" the value pins it in place.
std::uint64_t pinned(std::uint64_t value) {
  asm volatile("" : "+r"(value));
  return value;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const std::uint64_t n = argc > 1 ? paracon::parse_count(argv[1]) : 300000000;
    const std::uint64_t reps = argc > 2 ? paracon::parse_count(argv[2], 1000) : 7;
    const std::uint64_t zero = static_cast<std::uint64_t>(argc) / 1000; // 0, unknown to the compiler
    std::vector<double> exact, wrapping, plain;
    std::uint64_t low = 0;
    paracon::u128 sum = 0;
    for (std::uint64_t r = 0; r < reps; ++r) { // interleaved, so drift hits all three alike
      paracon::Stopwatch a;
      sum = paracon::range_sum(0, n);
      exact.push_back(a.seconds());
      paracon::Stopwatch b;
      low = paracon::range_sum_wrapping(0, n);
      wrapping.push_back(b.seconds());
      paracon::Stopwatch c;
      low = pinned(plain_loop(pinned(zero), n));
      plain.push_back(c.seconds());
    }
    const bool valid = sum == paracon::range_sum_closed_form(0, n) && low == static_cast<std::uint64_t>(sum);
    const double e = median(exact), w = median(wrapping), p = median(plain);
    const bool plain_folded = p * 1e9 < 0.01 * n; // under 0.01 ns a value: not a loop any more
    paracon::Json out {
      {"n", n}, {"repetitions", reps}, {"valid", valid}, {"exact_seconds", e}, {"wrapping_seconds", w},
          {"plain_seconds", p}, {"exact_over_wrapping", e / w},
          {"exact_over_plain", plain_folded ? paracon::Json() : paracon::Json(e / p)},
          {"plain_folded_by_compiler", plain_folded},
#if defined(__clang__)
          {"compiler", "clang " __clang_version__}
#else
      {
        "compiler", "gcc " __VERSION__
      }
#endif
    };
    std::printf("%s\n", out.dump().c_str());
    return valid ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "range_sum_kernels: error: %s\n", e.what());
    return 2;
  }
}
