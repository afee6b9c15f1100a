// scrape (MPI): the notebook's web-scraping appendix with one process per worker, as
// `Pool(cpu_count()).map(download, my_range)` does: pages dealt to ranks, rows gathered to
// rank 0 into one combined CSV besides each page's own file.
//
// Mirrors notebook 001, "Apêndice - Utilizando Paralelização em WebScrapping" (download and
// download_html over a Pool).
//
// Teaches gathering what nobody can size in advance. Each rank fetches pages 1, 1 + P, 1 + 2P...
// (dealt round-robin, so that a run of slow pages is shared), saves results_{i}.csv itself and
// keeps its rows. How many rows and bytes a rank holds is known only after the work, so rank 0
// first gathers each rank's byte count (MPI_Gather), then the rows themselves into one buffer at
// the offsets those counts give (MPI_Gatherv), and writes results.csv in page order. Ranks wait on
// the network, not on a core, so more ranks than cores still go faster.
//
// Usage: mpirun -n 8 scrape [--url 'http://127.0.0.1:8000/catalogue/page-{}.html'] [--pages 1..50]
//        [--out DIR] [--raw] [--timeout S] [--retries N] [--backoff S] [--rate R]
//        [--user-agent UA] [--json] [--help]
//        Exit code 1 on every rank when a page failed (each is named, the others are saved).

#include <algorithm>
#include <string>
#include <vector>

#include <mpi.h>

#include "paracon/mpi.hpp"
#include "paracon/scrape.hpp"

namespace sc = paracon::scrape;

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
  const std::string why = mpi.root() ? sc::check_options(options) : std::string();
  if (!paracon::mpi::all_ranks(why.empty())) {
    if (mpi.root()) paracon::print_error("scrape", why);
    return paracon::exit_usage;
  }

  const sc::Library library; // curl_global_init and xmlInitParser
  // A rate limit for all ranks together: each takes its share.
  sc::RateLimiter limiter(options.rate / ranks);
  std::vector<std::uint64_t> mine;
  for (std::size_t i = rank; i < options.pages.size(); i += ranks) mine.push_back(options.pages[i]);
  paracon::Report report("scrape", "mpi", cli.json());
  if (mpi.root()) report.print_title(std::to_string(options.pages.size()) + " pages, " + std::to_string(ranks) + " ranks");
  sc::Progress progress(mine.size(), ranks > 1 ? "rank " + std::to_string(rank) + ": " : "");

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region: every rank its pages, one at a time
  //////////////////////////////////////////////////////////////////////////////////////////
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  std::vector<sc::PageResult> results;
  {
    sc::Fetcher fetcher(options);
    for (std::uint64_t page : mine) {
      results.push_back(sc::scrape_page(fetcher, options, page, limiter));
      progress.done(results.back());
    }
  }
  progress.finish();

  // Every rank's results, as JSON text of a size only that rank knows, to rank 0.
  paracon::Json local = paracon::Json::array();
  for (const auto& result : results) local.push_back(sc::to_json(result));
  const std::string text = local.dump(-1, ' ', false, paracon::Json::error_handler_t::replace);
  int length = static_cast<int>(text.size());
  std::vector<int> lengths(mpi.root() ? ranks : 0), offsets(mpi.root() ? ranks : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string all;
  if (mpi.root()) {
    for (int r = 1; r < ranks; ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
    all.resize(static_cast<std::size_t>(offsets.back()) + lengths.back());
  }
  MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Rank 0: every page in page order, the combined CSV, the report
  //////////////////////////////////////////////////////////////////////////////////////////
  bool saved = true;
  if (mpi.root()) {
    std::vector<sc::PageResult> pages;
    for (int r = 0; r < ranks; ++r)
      for (const auto& json : paracon::Json::parse(all.substr(offsets[r], lengths[r]))) pages.push_back(sc::from_json(json));
    // Back into the order of --pages: page options.pages[i] was dealt to rank i % ranks.
    std::vector<sc::PageResult> ordered(pages.size());
    std::size_t next = 0;
    for (int r = 0; r < ranks; ++r)
      for (std::size_t i = r; i < ordered.size(); i += ranks) ordered[i] = std::move(pages[next++]);
    try {
      sc::save_combined(options, ordered);
    } catch (const sc::PageError& e) {
      paracon::print_error("scrape", e.why);
      saved = false;
    }
    report.add("ranks", ranks);
    sc::report(report, options, ordered, seconds);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || (saved && report.valid()));
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
