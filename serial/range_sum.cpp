// range_sum (serial): the baseline every parallel range_sum is measured against.
//
// Mirrors notebook 000, Act 2 and Act 3: `sum(range(0, size)) % 23`, here computed once, by
// one worker, with no parallel model at all.
//
// Teaches: what one core does with the loop when no interpreter stands between it and the
// additions. Python's `sum(range(3e8))` takes about 23 ns per value; the kernel here adds
// several values per nanosecond in SIMD lanes. It is also exact where numpy is not: the sum
// passes 2^63 at n = 2^32 + 1, where numpy's int64 wraps silently and prints a wrong residue;
// here every sum up to n = 2^63 is kept in 128 bits and checked against n(n-1)/2.
//
// Usage: range_sum [SIZE] [--json] [--help]

#include <vector>

#include "paracon/experiments/range_sum.hpp"
#include "paracon/kernels/range_sum.hpp"

namespace rs = paracon::experiments::range_sum;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::Options options;
  options.mode = rs::Mode::serial;
  paracon::Cli cli("range_sum", "sum(range(0, SIZE)) % 23 on one core: the serial baseline");
  rs::add_options(cli, options, /*with_mode=*/false);
  if (auto code = cli.parse(argc, argv)) return *code;

  paracon::Report report("range_sum", "serial", cli.json());
  report.print_title("1 worker, n = " + std::to_string(options.n));

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: one worker sums the whole range
  //////////////////////////////////////////////////////////////////////////////////////////
  paracon::Stopwatch clock;
  std::vector<rs::Worker> workers(1);
  workers[0].part = {0, options.n};
  workers[0].sum = paracon::range_sum(0, options.n);
  workers[0].seconds = clock.seconds();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  rs::report(report, options, workers, "Thread", workers[0].sum, workers[0].seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
