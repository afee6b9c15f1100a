// What the scrape programs share besides who fetches which page, and when: notebook 001's
// appendix, "Utilizando Paralelização em WebScrapping". Each page of a catalogue is fetched
// (paracon/plumbing/http.hpp), its books are read (paracon/kernels/books.hpp) and saved as
// results_{i}.csv (paracon/plumbing/files.hpp: whole or not at all), every row of the run goes
// into results.csv, and the report says what happened to every page. A failure is one page's,
// with its reason, never an exception that escapes a worker: the other pages are still saved.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/http.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::scrape {

// How to scrape: the command line of both programs.
struct Options {
  std::string url = "http://books.toscrape.com/catalogue/page-{}.html"; // {} is the page number
  std::vector<std::uint64_t> pages;                                     // default 1..50
  std::filesystem::path out = "scraped";
  bool raw = false; // save html_books_{i}.html only, as the notebook's download_html
  http::Settings http{10, "paracon-scrape/0.1 (teaching example; +https://github.com/)"};
  std::uint64_t retries = 2; // more attempts after a failure that may pass (timeouts, 5xx)
  double backoff = 0.5;      // seconds before the first retry, doubled each time (at most 10 minutes)
  double rate = 0;           // at most this many requests per second in all; 0: no limit
};

void add_options(Cli& cli, Options& options);
// The checks CLI11 cannot make (the URL's scheme and its {}, the User-Agent, a folder to write
// in), and the sweep of temporaries a killed earlier run left in that folder. Empty when all
// is well.
std::string check_options(const Options& options);
std::string page_url(const Options& options, std::uint64_t page);

// The run's memory budget for the bodies in flight: 1 GiB, or a quarter of the available memory
// when that is less, shared by the `in_flight` transfers that may hold a body at once (a server
// that never stops sending is cut off at its share), and never more than 64 MiB a transfer.
// Sets options.http.max_body; returns the refusal when a share would be under 256 KiB.
inline constexpr double memory_budget = 1024.0 * 1024 * 1024;
std::string set_memory_budget(Options& options, std::size_t in_flight);

// What happened to one page.
struct PageResult {
  std::uint64_t page = 0;
  bool ok = false;
  std::string why;          // when not ok
  std::size_t replaced = 0; // bytes that were not UTF-8 (or NUL), replaced by U+FFFD: a warning
  unsigned attempts = 0;
  std::size_t bytes = 0, rows = 0;
  double seconds = 0; // from the first request to the saved file
  std::string csv;    // this page's rows of results.csv (the page number first)
};

// After a successful response: parse (or, in raw mode, keep the body) and save the file.
void finish_page(const Options& options, const http::Response& response, PageResult& result);
// One page from first request to saved file, with retries and back-off: what a worker does.
PageResult scrape_page(http::Fetcher& fetcher, const Options& options, std::uint64_t page, http::RateLimiter& limiter);
// The wait before retry number `attempt` (1, 2, ...): --backoff doubled each time.
std::chrono::duration<double> backoff_before(const Options& options, unsigned attempt);
// A failure's reason with the attempts it took: "HTTP 503 (after 3 attempts)".
std::string after_attempts(const std::string& why, unsigned attempts);
// The line progress shows for a finished page: "page 3: 20 books".
std::string progress_line(const PageResult& result);

// After a signal asked the scrape to stop (paracon::files::stop_requested): one line (when
// `speak`), and the exit code of a program that signal ended, 128 + its number. The pages saved
// before it stay; results.csv, which would describe the run's pages, is not written.
int stopped(const Options& options, int signal, bool speak);
// Ends this process now with 128 + signal, the status of a program a signal ended: an MPI rank
// that a signal stopped makes no further MPI call (its launcher is ending the job, and a
// collective or MPI_Finalize could wait for ranks it has already ended).
[[noreturn]] void end_now(int signal);

// results.csv: the header and every saved page's rows, in page order (not in raw mode). Throws
// files::WriteError.
void save_combined(const Options& options, const std::vector<PageResult>& results);

// The report both programs end with: pages saved and failed (each with its reason), warnings,
// the files this run wrote, rows, time and rate. The verdict is "every page saved".
void report(Report& report, const Options& options, const std::vector<PageResult>& results, double seconds);

// A page's result without its rows, in a fixed size: what an MPI rank sends rank 0 for each of
// its pages (the rows travel separately, as text of csv_bytes bytes).
struct Summary {
  std::uint64_t page = 0, bytes = 0, rows = 0, replaced = 0, csv_bytes = 0;
  double seconds = 0;
  unsigned attempts = 0;
  bool ok = false;
  char why[240] = {}; // cut to fit
};
Summary summary(const PageResult& result);
PageResult from_summary(const Summary& summary, std::string csv);

} // namespace paracon::experiments::scrape
