// The web-scraping appendix of notebook 001, as a library: fetch a catalogue page (libcurl),
// take each book's title, price and stock from it (libxml2's HTML parser and XPath), and save
// the rows as CSV, atomically. Every failure is a per-page result with a reason, never an
// exception that escapes a worker: the other pages are still saved.
//
// The programs (openmp/scrape, mpi/scrape) decide only who fetches which page, and when.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "paracon/cli.hpp"
#include "paracon/report.hpp"

namespace paracon::scrape {

// One row of the notebook's DataFrame, plus the price as a number (pence, exact).
struct Book {
  std::string title; // the h3 link's title attribute: the full title, UTF-8
  std::string price; // as printed on the page: "£51.77"
  bool in_stock = false;
  std::int64_t pence = 0;
};

// What can go wrong with one page, kept as the reason people read ("HTTP 404", "no books").
struct PageError {
  std::string why;
};

// The books of one catalogue page: every `article.product_pod`, each with an `h3 > a[title]`,
// a `p.price_color` and a `p.availability`. Throws PageError when the body is not HTML, holds no
// books, or a book lacks a field (malformed or truncated HTML). `encoding` is the charset the
// server declared; empty means UTF-8.
std::vector<Book> parse_page(std::string_view html, const std::string& encoding = {});

// "£51.77" -> 5177. Throws PageError for anything that is not a price in pounds.
std::int64_t parse_price(std::string_view text);

// CSV as pandas writes it (RFC 4180): a field is quoted when it holds a comma, a quote or a
// line break, with quotes doubled. The header is the notebook's, plus the numeric price.
std::string csv_field(std::string_view text);
std::string csv_header(bool with_page);
std::string csv_rows(const std::vector<Book>& books, std::int64_t page = -1); // page >= 0: first column

// Writes `contents` to a temporary file beside `path`, flushes it to disk, then renames it over
// `path`: readers see the old file or the whole new one, never half of it.
void write_atomically(const std::filesystem::path& path, std::string_view contents);

// How to scrape: the command line of both programs.
struct Options {
  std::string url = "http://books.toscrape.com/catalogue/page-{}.html"; // {} is the page number
  std::vector<std::uint64_t> pages;                                        // default 1..50
  std::filesystem::path out = "scraped";
  bool raw = false;          // save html_books_{i}.html only, as the notebook's download_html
  double timeout = 10;       // seconds, per request
  std::uint64_t retries = 2; // more attempts after a failure that may pass (timeouts, 5xx)
  double backoff = 0.5;      // seconds before the first retry, doubled each time
  double rate = 0;           // at most this many requests per second in all; 0: no limit
  std::string user_agent = "paracon-scrape/0.1 (teaching example; +https://github.com/)";
};

void add_options(Cli& cli, Options& options);
// The checks CLI11 cannot make (a URL template without {}); empty when all is well.
std::string check_options(const Options& options);
std::string page_url(const Options& options, std::uint64_t page);

// Requests started no faster than `per_second` over every thread that shares the limiter.
class RateLimiter {
public:
  explicit RateLimiter(double per_second);
  // The moment this caller may start its request; blocks no one (the multi loop asks it).
  std::chrono::steady_clock::time_point reserve();
  void wait(); // reserve, then sleep until then

private:
  std::mutex mutex_;
  std::chrono::steady_clock::duration interval_{};
  std::chrono::steady_clock::time_point next_{};
};

// What happened to one page.
struct PageResult {
  std::uint64_t page = 0;
  bool ok = false;
  std::string why; // when not ok
  unsigned attempts = 0;
  std::size_t bytes = 0;
  double seconds = 0; // from the first request to the saved file
  std::vector<Book> books;
};

// A response as libcurl delivered it.
struct Response {
  int curl_code = 0; // CURLE_OK when the transfer completed
  std::string curl_error;
  long status = 0; // HTTP status; 0 for file:// URLs
  std::string content_type;
  std::string body;
};

// One libcurl easy handle, reused for every request of one worker (connections stay open).
class Fetcher {
public:
  explicit Fetcher(const Options& options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;
  Response get(const std::string& url);

  // Sets up an easy handle the way every request of the project is made (timeouts, protocols,
  // User-Agent); `response` receives the body and headers. The multi interface uses it too.
  static void configure(void* easy, const Options& options, const std::string& url, Response& response);

private:
  const Options& options_;
  void* easy_;
};

// The outcome of one attempt: a failure that a retry may cure (timeouts, refused connections,
// 5xx, 429) or not (404, a page without books).
struct Attempt {
  bool ok = false, retry = false;
  std::string why;
};
Attempt judge(const Response& response);

// After a successful response: parse (or, in raw mode, keep the body) and save the file.
// Fills result.ok / why / books / bytes.
void finish_page(const Options& options, const Response& response, PageResult& result);

// One page from first request to saved file, with retries and back-off: what a worker does.
PageResult scrape_page(Fetcher& fetcher, const Options& options, std::uint64_t page, RateLimiter& limiter);

// Every page on one thread with libcurl's multi interface: up to `in_flight` transfers at
// once, each finished page parsed and saved as it completes, retries scheduled, not slept.
// `done` is called for each page as it finishes. Results in page order.
std::vector<PageResult> scrape_multi(const Options& options, std::size_t in_flight, RateLimiter& limiter,
                                     const std::function<void(const PageResult&)>& done);

// Progress on stderr: a bar redrawn in place when stderr is a terminal (pages done of total,
// rate, errors), otherwise one plain line per page. Safe to call from any thread.
class Progress {
public:
  Progress(std::size_t total, std::string prefix = {});
  void done(const PageResult& result);
  void finish(); // ends the bar's line

private:
  void draw_locked(bool force);
  std::mutex mutex_;
  std::size_t total_, done_ = 0, errors_ = 0;
  std::string prefix_;
  bool terminal_;
  Stopwatch clock_;
  double drawn_at_ = -1;
};

// The combined CSV of every saved page, in page order (results.csv); not in raw mode.
void save_combined(const Options& options, const std::vector<PageResult>& results);

// The report both programs end with: pages saved and failed (each with its reason), rows, time
// and rate. The verdict is "every page saved"; a failed page makes the exit code 1.
void report(Report& report, const Options& options, const std::vector<PageResult>& results, double seconds);

// Per-page results as JSON and back, for MPI ranks to send theirs to rank 0.
Json to_json(const PageResult& result);
PageResult from_json(const Json& json);

// curl_global_init and curl_global_cleanup, once, before any thread starts.
class Library {
public:
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

} // namespace paracon::scrape
