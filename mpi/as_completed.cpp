// as_completed (MPI): ProcessPoolExecutor's as_completed as a manager and workers.
//
// Mirrors notebook 000, Act 3, "concurrent.futures também tem uma interface pra
// multiprocessing": three processes square ten random integers and the results are printed as
// each completes.
//
// Teaches the manager/worker pattern. Rank 0 hands one item to each worker, then receives
// results from MPI_ANY_SOURCE, whoever is done first, prints each as it arrives and sends that
// worker (status.MPI_SOURCE) the next item, until none are left and every worker is told to
// stop. Faster workers simply get more items. Big numbers take longer (--delay, 0.1 s for the
// largest by default), so the completion order visibly differs from the submission order. On one rank there are no
// workers: rank 0 squares everything itself, in order.
//
// Usage: mpirun -n 4 as_completed [--seed S] [--count N] [--max M] [--delay S] [--json]
//        (rank 0 manages; the others work)

#include <cstdio>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/as_completed.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace ac = paracon::experiments::as_completed;
namespace sq = paracon::squares;

namespace {
enum Tag { work = 1, result = 2, stop = 3 };
} // namespace

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  ac::Options options;
  paracon::Cli cli("as_completed", "ProcessPoolExecutor + as_completed: a manager rank and worker ranks");
  ac::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  paracon::Report report("as_completed", "mpi", cli.json());
  const int workers = ranks > 1 ? ranks - 1 : 1;
  if (mpi.root())
    report.print_title(std::to_string(options.count) + " numbers below " + std::to_string(options.max) + ", " +
                       std::to_string(workers) + (ranks > 1 ? " worker ranks" : " rank, no workers"));

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  std::vector<ac::Completed> completed;
  if (mpi.root()) {
    const auto report_one = [&](const ac::Completed& c) {
      completed.push_back(c);
      if (!report.json()) std::printf("%s\n", sq::line(c.x, c.y).c_str());
    };
    std::uint64_t next = 0;
    if (ranks == 1) {
      for (; next < options.count; ++next) {
        const std::uint64_t x = sq::item(options, next);
        report_one({next, x, ac::square_after_delay(options, x)});
      }
    } else {
      //@ task 1: Be the manager: send each worker rank one item (its index and value, tag
      //@ `work`) to begin with; then, as long as a worker is busy, receive a result from
      //@ whichever finishes first, report it, and send that worker the next item, or tell it
      //@ to stop (an empty message, tag `stop`). The workers' side is written below.
      //@ hint: MPI_Recv(..., MPI_ANY_SOURCE, result, ...) fills an MPI_Status whose MPI_SOURCE says who sent it.
      //@ start: for (; next < options.count; ++next) { // for now the manager squares everything
      //@ start:   const std::uint64_t x = sq::item(options, next);
      //@ start:   report_one({next, x, ac::square_after_delay(options, x)});
      //@ start: }
      //@ start: for (int w = 1; w < ranks; ++w) MPI_Send(nullptr, 0, MPI_UINT64_T, w, stop, MPI_COMM_WORLD);
      // submit(): one item (index, value) to each worker to begin with.
      int busy = 0;
      for (int w = 1; w < ranks; ++w) {
        if (next < options.count) {
          const std::uint64_t job[2] = {next, sq::item(options, next)};
          MPI_Send(job, 2, MPI_UINT64_T, w, work, MPI_COMM_WORLD);
          ++next, ++busy;
        } else {
          MPI_Send(nullptr, 0, MPI_UINT64_T, w, stop, MPI_COMM_WORLD);
        }
      }
      // as_completed(): results from whichever worker finishes first.
      while (busy > 0) {
        std::uint64_t done[4]; // index, value, square's low and high 64 bits
        MPI_Status status;
        MPI_Recv(done, 4, MPI_UINT64_T, MPI_ANY_SOURCE, result, MPI_COMM_WORLD, &status);
        report_one({done[0], done[1], (paracon::u128{done[3]} << 64) | done[2]});
        if (next < options.count) { // that worker is free: the next item
          const std::uint64_t job[2] = {next, sq::item(options, next)};
          MPI_Send(job, 2, MPI_UINT64_T, status.MPI_SOURCE, work, MPI_COMM_WORLD);
          ++next;
        } else {
          MPI_Send(nullptr, 0, MPI_UINT64_T, status.MPI_SOURCE, stop, MPI_COMM_WORLD);
          --busy;
        }
      }
      //@ end
    }
  } else {
    // A worker: take an item, square it, send it back, until told to stop.
    for (;;) {
      std::uint64_t job[2];
      MPI_Status status;
      MPI_Recv(job, 2, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      if (status.MPI_TAG == stop) break;
      const paracon::u128 y = ac::square_after_delay(options, job[1]);
      const std::uint64_t done[4] = {job[0], job[1], static_cast<std::uint64_t>(y),
                                     static_cast<std::uint64_t>(y >> 64)};
      MPI_Send(done, 4, MPI_UINT64_T, 0, result, MPI_COMM_WORLD);
    }
  }
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    ac::report(report, options, workers, completed, seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
