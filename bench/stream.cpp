// The machine's write + read memory bandwidth, measured the way STREAM does: arrays first
// touched outside the clock by the threads that use them, then plain loops timed, so that
// bench/array_sum.py can say how close the materialized array_sum comes to what the memory
// allows. The same work as array_sum's: write a[i] = i over N int64, then read them into a sum.
//   OMP_NUM_THREADS=T stream [N] [REPETITIONS]   prints one JSON object:
//   write_gb_per_s, read_gb_per_s (medians) and write_read_gb_per_s: 2 x 8 N bytes over the
//   median of (write + read) seconds, the figure array_sum's GB/s is compared with.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <omp.h>
#include <sys/mman.h>

#include <nlohmann/json.hpp>

#include "paracon/plumbing/numbers.hpp"
#include "paracon/plumbing/report.hpp"

#include "median.hpp"

int main(int argc, char** argv) {
  try {
    const std::uint64_t n = argc > 1 ? paracon::parse_count(argv[1], 4000000000) : 300000000;
    const std::uint64_t reps = argc > 2 ? paracon::parse_count(argv[2], 1000) : 5;
    // The same memory as array_sum's Buffer: anonymous pages, huge pages asked for.
    const std::size_t bytes = n * sizeof(std::uint64_t);
    void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::runtime_error("cannot map " + std::to_string(bytes) + " bytes");
    madvise(memory, bytes, MADV_HUGEPAGE);
    auto* a = static_cast<std::uint64_t*>(memory);
    const auto count = static_cast<std::int64_t>(n);

#pragma omp parallel for schedule(static) // first touch, untimed: each page on its user's node
    for (std::int64_t i = 0; i < count; i += 512) a[i] = 0;

    std::vector<double> write, read, both;
    std::uint64_t sum = 0;
    for (std::uint64_t r = 0; r < reps; ++r) {
      const double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
      for (std::int64_t i = 0; i < count; ++i) a[i] = static_cast<std::uint64_t>(i);
      const double t1 = omp_get_wtime();
      sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
      for (std::int64_t i = 0; i < count; ++i) sum += a[i];
      const double t2 = omp_get_wtime();
      write.push_back(t1 - t0);
      read.push_back(t2 - t1);
      both.push_back(t2 - t0);
    }
    const std::uint64_t expected = static_cast<std::uint64_t>(n % 2 ? (n - 1) / 2 * n : n / 2 * (n - 1));
    munmap(memory, bytes);
    const double b = static_cast<double>(bytes);
    paracon::Json out{{"n", n},
                      {"threads", omp_get_max_threads()},
                      {"repetitions", reps},
                      {"valid", sum == expected},
                      {"write_gb_per_s", b / median(write) / 1e9},
                      {"read_gb_per_s", b / median(read) / 1e9},
                      {"write_read_gb_per_s", 2 * b / median(both) / 1e9},
                      {"seconds", median(both)}};
    std::printf("%s\n", out.dump().c_str());
    return sum == expected ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stream: error: %s\n", e.what());
    return 2;
  }
}
