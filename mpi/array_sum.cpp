// array_sum (MPI): numpy's `np.mod(np.sum(np.arange(0, size)), 23)` with Eigen, each rank holding
// only its slice of the array.
//
// Mirrors notebook 000, Act 2, "Módulos externos" ("WARNING: A LOT OF RAM"), with processes.
//
// Teaches distributed memory. No rank ever holds the whole np.arange: rank r materialises
// only values [n r / P, n (r+1) / P), 8 bytes each, so memory per process falls as ranks are
// added, and the report shows every rank's peak. What the ranks of one node need together is
// checked against its free memory before anyone allocates, with one verdict for all. The
// partial sums, exact 128-bit integers, meet in MPI_Reduce with the project's u128 MPI_Op.
// --variant lazy needs no array at all.
//
// Usage: mpirun -n 4 array_sum [SIZE] [--variant materialized|lazy|both] [--json] [--help]

#include <optional>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/array_sum.hpp"
#include "paracon/kernels/array_sum.hpp"
#include "paracon/kernels/partition.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/system.hpp"

namespace as = paracon::experiments::array_sum;
namespace arrays = paracon::array_sum; // the kernels: the array, its fill, the sums

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters; the node's slices must fit, one verdict for all ranks
  //////////////////////////////////////////////////////////////////////////////////////////
  as::Options options;
  paracon::Cli cli("array_sum", "np.mod(np.sum(np.arange(0, SIZE)), 23) with Eigen, a slice per MPI rank");
  as::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  const std::uint64_t n = options.n;
  //@ task 1: Give each rank its own slice of [0, n): no rank ever holds the whole np.arange.
  //@ hint: paracon::block({0, n}, ranks, rank).
  //@ start: const paracon::Range mine{0, mpi.root() ? n : 0}; // for now rank 0 holds it all
  const auto mine = paracon::block({0, n}, ranks, rank);
  //@ end
  if (auto why = paracon::mpi::node_memory_refusal("the slices of one node need",
                                                   as::bytes_needed(options, mine.size()), as::node_memory_advice)) {
    if (mpi.root()) paracon::print_error("array_sum", *why);
    return paracon::exit_usage;
  }
  paracon::Report report("array_sum", "mpi", cli.json());
  if (mpi.root()) report.print_title("n = " + std::to_string(n) + ", " + std::to_string(ranks) + " ranks");
  std::vector<as::Result> results;

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: materialized, each rank its slice only
  //////////////////////////////////////////////////////////////////////////////////////////
  if (as::runs(options, as::Variant::materialized)) {
    as::Result r{as::Variant::materialized};
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    std::optional<arrays::Buffer> slice(std::in_place, mine.size());
    arrays::first_touch(slice->slice(0, mine.size())); // the OS maps the pages: timed apart
    r.touch_seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    start = MPI_Wtime();
    arrays::fill(slice->slice(0, mine.size()), mine.begin); // values mine.begin, mine.begin + 1, ...
    r.fill_seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    start = MPI_Wtime();
    const paracon::u128 partial = arrays::sum_materialized(slice->slice(0, mine.size()), mine.begin);
    //@ task 2: Add the ranks' partial sums into r.sum on rank 0. MPI has no 128-bit integer: the
    //@ session provides a 16-byte type and the operation that adds two of them.
    //@ hint: MPI_Reduce with mpi.u128_type() and mpi.u128_sum().
    //@ start: r.sum = partial;
    MPI_Reduce(&partial, &r.sum, 1, mpi.u128_type(), mpi.u128_sum(), 0, MPI_COMM_WORLD);
    //@ end
    r.sum_seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    results.push_back(r);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: lazy, the expression of this rank's values
  //////////////////////////////////////////////////////////////////////////////////////////
  if (as::runs(options, as::Variant::lazy)) {
    as::Result r{as::Variant::lazy};
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    const paracon::u128 partial = arrays::sum_lazy(mine.begin, mine.end);
    //@ task 3: The lazy variant's partial sums, the same way.
    //@ start: r.sum = partial;
    MPI_Reduce(&partial, &r.sum, 1, mpi.u128_type(), mpi.u128_sum(), 0, MPI_COMM_WORLD);
    //@ end
    r.sum_seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);
    results.push_back(r);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report: every rank's peak memory, gathered
  //////////////////////////////////////////////////////////////////////////////////////////
  const std::uint64_t peak = paracon::peak_memory();
  std::vector<std::uint64_t> peaks(mpi.root() ? ranks : 0);
  MPI_Gather(&peak, 1, MPI_UINT64_T, peaks.data(), 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (mpi.root()) {
    as::report(report, options, ranks, results, peaks);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
