// scrape (OpenMP): the notebook's web-scraping appendix: 50 catalogue pages fetched, parsed
// and saved as results_{i}.csv, in series, by threads, and by one thread with many transfers.
//
// Mirrors notebook 001, "Apêndice - Utilizando Paralelização em WebScrapping": the tqdm loop
// (--mode serial), `pool.map(download, my_range)` (--mode threads) and `download_html`
// (--raw). Titles come from `h3 > a[title]`, prices from `p.price_color`, stock from
// `p.instock.availability`, as BeautifulSoup took them; here libxml2's parser and XPath do it.
//
// Teaches that waiting is not computing. A page spends almost all its time waiting for the
// server, and a waiting thread needs no core: OMP_NUM_THREADS=8 on a 2-core laptop is 8 pages in
// flight, nearly 8 times faster. Python's threads would do as well here (the GIL is released
// while waiting); C++ simply has no GIL to think about. --mode multi goes further: ONE thread
// keeps --concurrency transfers in flight with libcurl's multi interface and handles each page
// as it arrives, the C++ form of asyncio's event loop. The tour compares the three.
//
// Usage: OMP_NUM_THREADS=8 scrape [--mode serial|threads|multi] [--concurrency N]
//        [--url 'http://127.0.0.1:8000/catalogue/page-{}.html'] [--pages 1..50] [--out DIR]
//        [--raw] [--timeout S] [--retries N] [--backoff S] [--rate R] [--user-agent UA]
//        [--json] [--help]
//        Exit code 1 when a page failed (each is named, the others are saved).

#include <string>
#include <vector>

#include <omp.h>

#include "paracon/scrape.hpp"

namespace sc = paracon::scrape;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  sc::Options options;
  std::string mode = "threads";
  std::uint64_t concurrency = 0; // 0: OMP_NUM_THREADS threads, or 10 transfers in multi mode
  paracon::Cli cli("scrape", "The notebook's scraper: catalogue pages to CSV, in series, by OpenMP threads, "
                             "or by libcurl's multi interface");
  sc::add_options(cli, options);
  cli.app().add_option("--mode", mode, "serial: one page at a time; threads: a parallel loop; multi: one thread, "
                                       "many transfers")
      ->check(CLI::IsMember({"serial", "threads", "multi"}))
      ->capture_default_str();
  cli.add_count("--concurrency", concurrency, "Threads (threads mode) or transfers in flight (multi mode)", 0, 1000);
  if (auto code = cli.parse(argc, argv)) return *code;
  if (const std::string why = sc::check_options(options); !why.empty()) {
    paracon::print_error("scrape", why);
    return paracon::exit_usage;
  }
  if (mode == "serial") concurrency = 1;
  if (concurrency == 0) concurrency = mode == "threads" ? omp_get_max_threads() : 10;

  const sc::Library library; // curl_global_init and xmlInitParser, before any thread
  const std::size_t count = options.pages.size();
  paracon::Report report("scrape", "openmp", cli.json());
  report.print_title(std::to_string(count) + " pages, " + mode + " mode, " + std::to_string(concurrency) +
                     (mode == "multi" ? " transfers in flight" : concurrency == 1 ? " thread" : " threads"));
  sc::RateLimiter limiter(options.rate);
  sc::Progress progress(count);

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<sc::PageResult> results(count);
  paracon::Stopwatch clock;
  if (mode == "multi") {
    // One thread, many transfers: libcurl multiplexes the sockets, each page is parsed and
    // saved as it completes.
    results = sc::scrape_multi(options, concurrency, limiter, [&](const sc::PageResult& r) { progress.done(r); });
  } else {
    // The Pool.map of the notebook: one page at a time to whichever thread is free. Each
    // thread keeps its own libcurl handle (and so its open connection) for all its pages.
#pragma omp parallel num_threads(static_cast<int>(concurrency))
    {
      sc::Fetcher fetcher(options);
#pragma omp for schedule(dynamic, 1)
      for (std::size_t i = 0; i < count; ++i) {
        results[i] = sc::scrape_page(fetcher, options, options.pages[i], limiter);
        progress.done(results[i]);
      }
    }
  }
  const double seconds = clock.seconds();
  progress.finish();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Save all rows together, and report
  //////////////////////////////////////////////////////////////////////////////////////////
  try {
    sc::save_combined(options, results);
  } catch (const sc::PageError& e) {
    paracon::print_error("scrape", e.why);
    return paracon::exit_failed;
  }
  report.add("mode", mode);
  report.add("concurrency", concurrency);
  sc::report(report, options, results, seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
