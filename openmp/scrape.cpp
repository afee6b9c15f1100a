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
// as it arrives (scrape_multi, below): the C++ form of asyncio's event loop. The tour compares
// the three.
//
// Usage: OMP_NUM_THREADS=8 scrape [--mode serial|threads|multi] [--concurrency N]
//        [--url 'http://127.0.0.1:8000/catalogue/page-{}.html'] [--pages 1..50] [--out DIR]
//        [--raw] [--timeout S] [--retries N] [--backoff S] [--rate R] [--user-agent UA]
//        [--json] [--help]
//        Exit code 1 when a page failed (each is named, the others are saved).

#include <algorithm>
#include <deque>
#include <functional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <omp.h>

#include "paracon/experiments/scrape.hpp"
#include "paracon/plumbing/files.hpp"
#include "paracon/plumbing/progress.hpp"
#include "paracon/plumbing/system.hpp"

namespace sc = paracon::experiments::scrape;
namespace http = paracon::http;
using Clock = std::chrono::steady_clock;

// asyncio's event loop, with libcurl's multi interface: one thread, up to `in_flight` transfers
// at once. The loop starts transfers while there are free slots (and the rate limit allows),
// lets libcurl move every socket that is ready (curl_multi_perform), takes the transfers that
// ended (curl_multi_info_read), schedules a retry for those that may pass later instead of
// sleeping, parses and saves each page that arrived, and then sleeps until a socket has news or
// a retry is due (curl_multi_poll). Results in page order; `done` is called as each page ends.
std::vector<sc::PageResult> scrape_multi(const sc::Options& options, std::size_t in_flight, http::RateLimiter& limiter,
                                         const std::function<void(const sc::PageResult&)>& done) {
  const std::size_t count = options.pages.size();
  std::vector<sc::PageResult> results(count);
  std::vector<http::Response> responses(count);
  std::vector<Clock::time_point> started(count);
  std::deque<std::size_t> ready; // pages waiting for a free transfer slot, in page order
  using Retry = std::pair<Clock::time_point, std::size_t>;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<>> retries; // soonest first
  for (std::size_t i = 0; i < count; ++i) {
    results[i].page = options.pages[i];
    ready.push_back(i);
  }

  CURLM* multi = curl_multi_init();
  std::vector<CURL*> idle; // finished handles, reused: their connections stay in the cache
  std::set<CURL*> busy;    // handles with a transfer under way
  std::size_t running = 0, finished = 0;
  bool reserved = false; // a rate-limited start reserved for `slot` but not yet due
  Clock::time_point slot{};

  // Start transfers while there are free slots, waiting pages and (with --rate) permission.
  const auto start_ready = [&] {
    const auto now = Clock::now();
    while (!retries.empty() && retries.top().first <= now) {
      ready.push_front(retries.top().second);
      retries.pop();
    }
    while (running < in_flight && !ready.empty()) {
      if (!reserved) slot = limiter.reserve(), reserved = true;
      if (slot > now) break;
      reserved = false;
      const std::size_t i = ready.front();
      ready.pop_front();
      CURL* easy = idle.empty() ? curl_easy_init() : idle.back();
      if (!idle.empty()) idle.pop_back();
      curl_easy_reset(easy);
      responses[i] = http::Response{};
      http::configure(easy, options.http, sc::page_url(options, options.pages[i]), responses[i]);
      if (results[i].attempts == 0) started[i] = now;
      ++results[i].attempts;
      curl_multi_add_handle(multi, easy); // the transfer starts; nothing waits for it here
      busy.insert(easy);
      ++running;
    }
  };

  int still_running = 0;
  while (finished < count && !paracon::files::stop_requested()) { // a signal: every transfer ends now
    start_ready();
    curl_multi_perform(multi, &still_running); // every transfer with a ready socket moves on

    // Transfers that ended: retried later, or arrived.
    std::vector<std::size_t> arrived;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      http::Response* response = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &response);
      const std::size_t i = static_cast<std::size_t>(response - responses.data());
      http::collect(easy, message->data.result, *response);
      curl_multi_remove_handle(multi, easy);
      busy.erase(easy);
      idle.push_back(easy);
      --running;
      const http::Attempt attempt = http::judge(*response);
      if (!attempt.ok && attempt.retry && results[i].attempts <= options.retries) {
        const auto delay =
            std::chrono::duration_cast<Clock::duration>(sc::backoff_before(options, results[i].attempts));
        retries.emplace(Clock::now() + delay, i); // scheduled, not slept: the others go on
      } else {
        if (!attempt.ok) results[i].why = sc::after_attempts(attempt.why, results[i].attempts);
        arrived.push_back(i);
      }
    }
    if (!arrived.empty()) { // the next requests leave before this thread turns to parsing
      start_ready();
      curl_multi_perform(multi, &still_running);
    }
    for (std::size_t i : arrived) {
      sc::PageResult& result = results[i];
      if (result.why.empty()) sc::finish_page(options, responses[i], result);
      responses[i].body = std::string(); // the page is saved; free its memory now
      result.seconds = std::chrono::duration<double>(Clock::now() - started[i]).count();
      ++finished;
      done(result);
    }
    if (finished == count) break;

    // Sleep until a transfer has news, or a retry or a rate-limited start is due: at most 100 ms.
    const auto now = Clock::now();
    if (running < in_flight && !ready.empty() && !(reserved && slot > now)) continue; // a slot is free
    auto wake = now + std::chrono::milliseconds(100);
    if (!retries.empty()) wake = std::min(wake, retries.top().first);
    if (reserved) wake = std::min(wake, slot);
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max<long long>(0, wait_ms)), nullptr);
  }
  for (CURL* easy : busy) curl_multi_remove_handle(multi, easy), idle.push_back(easy);
  for (CURL* easy : idle) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
  return results;
}

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  sc::Options options;
  std::string mode = "threads";
  std::uint64_t concurrency = 0; // 0: OMP_NUM_THREADS threads, or 10 transfers in multi mode
  paracon::Cli cli("scrape",
                   "The notebook's scraper: catalogue pages to CSV, in series, by OpenMP threads, or by libcurl's "
                   "multi interface",
                   paracon::Threads::openmp);
  sc::add_options(cli, options);
  cli.add_choice("--mode", mode, {"serial", "threads", "multi"},
                 "serial: one page at a time; threads: a parallel loop; multi: one thread, many transfers");
  cli.add_count("--concurrency", concurrency,
                "Threads (threads mode) or transfers in flight (multi mode), at most 1000", 0, 1000);
  if (auto code = cli.parse(argc, argv)) return *code;
  if (mode == "serial") concurrency = 1;
  if (concurrency == 0) concurrency = mode == "threads" ? omp_get_max_threads() : 10;
  std::string why = sc::check_options(options);
  if (why.empty() && concurrency > 1000) why = "OMP_NUM_THREADS: at most 1000 threads scrape at once (--concurrency)";
  if (why.empty()) why = sc::set_memory_budget(options, concurrency);
  if (!why.empty()) {
    paracon::print_error("scrape", why);
    return paracon::exit_usage;
  }

  const http::Library library; // curl_global_init, before any thread
  const std::size_t count = options.pages.size();
  paracon::Report report("scrape", "openmp", cli.json());
  report.print_title(std::to_string(count) + " pages, " + mode + " mode, " + std::to_string(concurrency) +
                     (mode == "multi"    ? " transfers in flight"
                      : concurrency == 1 ? " thread"
                                         : " threads"));
  http::RateLimiter limiter(options.rate);
  paracon::files::stop_on_signals(); // Ctrl-C: every transfer stops at once, nothing is left half-written
  paracon::Progress progress(count, "pages");
  const auto done = [&](const sc::PageResult& r) {
    if (!paracon::files::stop_requested()) progress.done(r.ok, sc::progress_line(r), r.seconds);
  };

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed region
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<sc::PageResult> results(count);
  paracon::Stopwatch clock;
  if (mode == "multi") {
    // One thread, many transfers: see scrape_multi above.
    results = scrape_multi(options, concurrency, limiter, done);
  } else {
    // The Pool.map of the notebook: one page at a time to whichever thread is free. Each
    // thread keeps its own libcurl handle (and so its open connection) for all its pages.
    //@ task 1: Fetch the pages with a team of `concurrency` threads (more than the cores: they
    //@ wait for the network, they do not compute), each making its own fetcher (a libcurl
    //@ handle is not to be shared).
    //@ hint: a parallel region around the block.
#pragma omp parallel num_threads(static_cast <int>(concurrency))
    //@ end
    {
      http::Fetcher fetcher(options.http);
      //@ task 2: Share the pages among the team: one page at a time to whichever thread is
      //@ free, since pages take different times.
      //@ hint: a `for` directive with schedule(dynamic, 1).
#pragma omp for schedule(dynamic, 1)
      //@ end
      for (std::size_t i = 0; i < count; ++i) {
        results[i] = sc::scrape_page(fetcher, options, options.pages[i], limiter);
        done(results[i]);
      }
    }
  }
  const double seconds = clock.seconds();
  progress.finish();
  if (const int signal = paracon::files::stop_requested()) return sc::stopped(options, signal, true);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Save all rows together, and report
  //////////////////////////////////////////////////////////////////////////////////////////
  try {
    sc::save_combined(options, results);
  } catch (const paracon::files::WriteError& e) {
    paracon::print_error("scrape", e.what());
    return paracon::exit_failed;
  }
  report.add("mode", mode);
  report.add("concurrency", concurrency);
  report.add("max_body", options.http.max_body, "memory budget",
             paracon::format_bytes(static_cast<double>(options.http.max_body)) + " a transfer");
  sc::report(report, options, results, seconds);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
