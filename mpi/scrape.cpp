// scrape (MPI): the notebook's web-scraping appendix with one process per worker, as
// `Pool(cpu_count()).map(download, my_range)` does: pages dealt to ranks, rows gathered to
// rank 0 into one combined CSV besides each page's own file.
//
// Mirrors notebook 001, "Apêndice - Utilizando Paralelização em WebScrapping" (download and
// download_html over a Pool).
//
// Teaches gathering what nobody can size in advance. Each rank fetches pages 1, 1 + P, 1 + 2P...
// (dealt round-robin, so that a run of slow pages is shared), saves results_{i}.csv itself and
// keeps its rows. Every rank knows how many pages each rank had, so one MPI_Gatherv brings
// rank 0 a fixed-size summary of every page (its outcome, and how many bytes of rows it has).
// How many bytes of rows a rank holds is known only after the work: rank 0 first gathers each
// rank's byte count (MPI_Gather), then the rows themselves into one buffer at the offsets those
// counts give (MPI_Gatherv), and writes results.csv in page order. Ranks wait on the network, not
// on a core, so more ranks than cores still go faster.
//
// Usage: mpirun -n 8 scrape [--url 'http://127.0.0.1:8000/catalogue/page-{}.html'] [--pages 1..50]
//        [--out DIR] [--raw] [--timeout S] [--retries N] [--backoff S] [--rate R]
//        [--user-agent UA] [--json] [--help]
//        Exit code 1 on every rank when a page failed (each is named, the others are saved).

#include <string>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/scrape.hpp"
#include "paracon/plumbing/files.hpp"
#include "paracon/plumbing/mpi.hpp"
#include "paracon/plumbing/progress.hpp"

namespace sc = paracon::experiments::scrape;
namespace http = paracon::http;

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  sc::Options options;
  paracon::Cli cli("scrape", "The notebook's scraper: catalogue pages to CSV, dealt to MPI ranks");
  sc::add_options(cli, options);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  // Rank 0 makes the output folder (a shared file system on a cluster) and tells the others.
  std::string why = mpi.root() ? sc::check_options(options) : std::string();
  if (why.empty()) why = sc::set_memory_budget(options, static_cast<std::size_t>(ranks)); // one page in flight a rank
  if (!paracon::mpi::all_ranks(why.empty())) {
    if (mpi.root()) paracon::print_error("scrape", why.empty() ? "another node lacks the memory for its pages" : why);
    return paracon::exit_usage;
  }

  const http::Library library; // curl_global_init
  paracon::files::stop_on_signals(); // Ctrl-C: every transfer stops at once, nothing is left half-written
  // A rate limit for all ranks together: each takes its share.
  http::RateLimiter limiter(options.rate / ranks);
  // Pages dealt round-robin: page options.pages[i] is rank i % P's.
  std::vector<int> owner(options.pages.size());
  std::vector<std::uint64_t> mine;
  //@ task 1: Deal the pages round-robin: page i to rank i % ranks; `mine` lists this rank's.
  //@ Everything after (each rank's pages, the gathers to rank 0) follows the deal.
  //@ start: for (std::size_t i = 0; i < owner.size(); ++i) // for now rank 0 takes every page
  //@ start:   if ((owner[i] = 0) == rank) mine.push_back(options.pages[i]);
  for (std::size_t i = 0; i < owner.size(); ++i)
    if ((owner[i] = static_cast<int>(i % ranks)) == rank) mine.push_back(options.pages[i]);
  //@ end
  paracon::Report report("scrape", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(options.pages.size()) + " pages, " + std::to_string(ranks) + " ranks");
  paracon::Progress progress(mine.size(), "pages", ranks > 1 ? "rank " + std::to_string(rank) + ": " : "");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: every rank its pages, one at a time
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  std::vector<sc::Summary> summaries;
  std::string rows; // this rank's rows of results.csv, its pages one after the other
  {
    http::Fetcher fetcher(options.http);
    for (std::uint64_t page : mine) {
      const sc::PageResult result = sc::scrape_page(fetcher, options, page, limiter);
      if (!paracon::files::stop_requested()) progress.done(result.ok, sc::progress_line(result), result.seconds);
      summaries.push_back(sc::summary(result));
      rows += result.csv;
    }
  }
  progress.finish();
  // A signal stops every rank (the launcher sends it to each, and is ending the job): each ends at
  // once with 128 + signal, rank 0 saying why first, with no further MPI call.
  if (const int signal = paracon::files::stop_requested()) sc::end_now(sc::stopped(options, signal, mpi.root()) - 128);

  // Every page's summary to rank 0: each rank's count is known to all from the deal.
  const paracon::mpi::BytesType<sc::Summary> summary_type;
  const paracon::mpi::Blocks by_owner = paracon::mpi::owned_blocks(owner, ranks);
  std::vector<sc::Summary> by_rank(mpi.root() ? owner.size() : 0);
  MPI_Gatherv(summaries.data(), by_owner.counts[rank], summary_type, by_rank.data(), by_owner.counts.data(),
              by_owner.displacements.data(), summary_type, 0, MPI_COMM_WORLD);
  // The rows: their size is known only to their rank, so first the sizes, then the bytes.
  const int length = static_cast<int>(rows.size());
  std::vector<int> lengths(mpi.root() ? ranks : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  const paracon::mpi::Blocks text = paracon::mpi::blocks_of(lengths);
  std::string all(static_cast<std::size_t>(text.total()), '\0');
  MPI_Gatherv(rows.data(), length, MPI_CHAR, all.data(), text.counts.data(), text.displacements.data(), MPI_CHAR, 0,
              MPI_COMM_WORLD);
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Rank 0: every page in page order, the combined CSV, the report
  //////////////////////////////////////////////////////////////////////////////////////////
  bool saved = true;
  if (mpi.root()) {
    // Each summary with its rows, cut from its rank's text in the order the rank did its pages.
    std::vector<sc::PageResult> pages;
    std::vector<int> offset = text.displacements;
    for (int r = 0; r < ranks; ++r)
      for (int k = by_owner.displacements[r]; k < by_owner.displacements[r] + by_owner.counts[r]; ++k) {
        const sc::Summary& s = by_rank[k];
        pages.push_back(sc::from_summary(s, all.substr(offset[r], s.csv_bytes)));
        offset[r] += static_cast<int>(s.csv_bytes);
      }
    const std::vector<sc::PageResult> in_order = paracon::mpi::in_item_order(pages, owner, by_owner);
    try {
      sc::save_combined(options, in_order);
    } catch (const paracon::files::WriteError& e) {
      paracon::print_error("scrape", e.what());
      saved = false;
    }
    report.add("ranks", ranks);
    sc::report(report, options, in_order, seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || (saved && report.valid()));
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
