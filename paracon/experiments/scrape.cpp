#include "paracon/experiments/scrape.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "paracon/kernels/books.hpp"
#include "paracon/plumbing/files.hpp"
#include "paracon/plumbing/system.hpp"

namespace paracon::experiments::scrape {
namespace {

// "1..3,7,9..50": pages as a list people read.
std::string page_list(const std::vector<std::uint64_t>& pages) {
  std::string text;
  for (std::size_t i = 0; i < pages.size();) {
    std::size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
    text.append(text.empty() ? "" : ",").append(std::to_string(pages[i]));
    if (j > i) text.append("..").append(std::to_string(pages[j]));
    i = j + 1;
  }
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

} // namespace

void add_options(Cli& cli, Options& options) {
  auto& app = cli.app();
  options.pages.clear();
  for (std::uint64_t p = 1; p <= 50; ++p) options.pages.push_back(p);
  app.add_option("--url", options.url, "URL template; {} is replaced by the page number (http, https or file)")
      ->capture_default_str();
  cli.add_list("--pages", options.pages, "Pages to fetch, e.g. 1..50 or 1,3,7 [1..50]", 1, 1000000);
  app.add_option("--out", options.out, "Folder for results_{i}.csv (or html_books_{i}.html) and results.csv")
      ->capture_default_str();
  app.add_flag("--raw", options.raw, "Save each page's HTML only, as the notebook's download_html");
  cli.add_decimal("--timeout", options.http.timeout, "Seconds a request may take, connecting included", 0.001, 86400);
  cli.add_count("--retries", options.retries, "Further attempts after a timeout, a refused connection or a 5xx", 0, 10);
  cli.add_decimal("--backoff", options.backoff, "Seconds before the first retry; doubled for each next one", 0, 60);
  cli.add_decimal("--rate", options.rate, "At most this many requests per second in all (0: no limit)", 0, 1e6);
  app.add_option("--user-agent", options.http.user_agent, "The User-Agent header sent")->capture_default_str();
}

std::string check_options(const Options& options) {
  const std::string url = lower(options.url.substr(0, 8));
  if (!url.starts_with("http://") && !url.starts_with("https://") && !url.starts_with("file://"))
    return "--url: " + in_quotes(options.url) + " must start with http://, https:// or file://";
  const auto first = options.url.find("{}");
  if (first == std::string::npos || options.url.find("{}", first + 1) != std::string::npos)
    return "--url: " + in_quotes(options.url) + " must contain {} once, where the page number goes";
  if (options.pages.empty()) return "--pages: no pages given";
  if (options.http.user_agent.empty() || options.http.user_agent.size() > 1000 ||
      options.http.user_agent.find_first_of("\r\n") != std::string::npos)
    return "--user-agent: must be one non-empty line of at most 1000 characters";
  std::error_code error;
  std::filesystem::create_directories(options.out, error);
  if (!error && !std::filesystem::is_directory(options.out, error))
    error = std::make_error_code(std::errc::not_a_directory);
  if (error) return "--out: cannot use " + in_quotes(options.out.string()) + " as a folder: " + error.message();
  if (access(options.out.c_str(), W_OK) != 0)
    return "--out: cannot write to " + in_quotes(options.out.string()) + ": " + std::strerror(errno);
  files::sweep_temporaries(options.out); // what a killed run of ours left there
  return {};
}

std::string page_url(const Options& options, std::uint64_t page) {
  std::string url = options.url;
  return url.replace(url.find("{}"), 2, std::to_string(page));
}

std::string set_memory_budget(Options& options, std::size_t in_flight) {
  const double available = static_cast<double>(available_memory());
  const double budget = available > 0 ? std::min(available / 4, memory_budget) : memory_budget;
  // A body grows by doubling its buffer, so a transfer capped at `each` may hold twice that.
  const double each = std::min(budget / (2.0 * static_cast<double>(std::max<std::size_t>(in_flight, 1))),
                               static_cast<double>(64u << 20));
  if (each < 256 * 1024)
    return std::to_string(in_flight) + " transfers in flight leave less than 256 KiB of the run's " +
           format_bytes(budget) + " memory budget to each (use a smaller --concurrency)";
  options.http.max_body = static_cast<std::size_t>(each);
  return {};
}

void finish_page(const Options& options, const http::Response& response, PageResult& result) {
  result.bytes = response.body.size();
  try {
    if (files::stop_requested()) throw books::BadPage{http::interrupted()}; // no file begun after a stop
    const std::string& type = response.content_type;
    if (!type.empty() && !type.starts_with("text/html") && !type.starts_with("application/xhtml+xml"))
      throw books::BadPage{"not HTML (Content-Type: " + type + ")"};
    const std::string page = std::to_string(result.page);
    if (options.raw) {
      if (response.body.empty()) throw books::BadPage{"empty body"};
      files::write_atomically(options.out / ("html_books_" + page + ".html"), response.body);
    } else {
      std::string charset; // the server's declared encoding, "text/html; charset=ISO-8859-1"
      if (const auto at = type.find("charset="); at != std::string::npos) {
        charset = type.substr(at + 8);
        charset = charset.substr(0, charset.find(';'));
        std::erase(charset, '"');
        std::erase(charset, ' ');
      }
      const books::Page parsed = books::parse_page(response.body, charset);
      files::write_atomically(options.out / ("results_" + page + ".csv"),
                              books::csv_header(false) + books::csv_rows(parsed.books));
      result.rows = parsed.books.size();
      result.replaced = parsed.replaced;
      result.csv = books::csv_rows(parsed.books, static_cast<std::int64_t>(result.page));
    }
    result.ok = true;
  } catch (const books::BadPage& e) {
    result.why = e.why;
  } catch (const std::exception& e) { // a write that failed, std::bad_alloc: still one page's failure
    result.why = e.what();
  }
  if (!result.ok) result.rows = 0, result.csv.clear();
}

std::chrono::duration<double> backoff_before(const Options& options, unsigned attempt) {
  return std::chrono::duration<double>(
      std::min(600.0, options.backoff * std::ldexp(1.0, static_cast<int>(attempt) - 1)));
}

std::string after_attempts(const std::string& why, unsigned attempts) {
  return attempts > 1 ? why + " (after " + std::to_string(attempts) + " attempts)" : why;
}

PageResult scrape_page(http::Fetcher& fetcher, const Options& options, std::uint64_t page, http::RateLimiter& limiter) {
  PageResult result;
  result.page = page;
  const Stopwatch clock;
  const std::string url = page_url(options, page);
  for (;;) {
    limiter.wait();
    if (files::stop_requested()) { // a signal asked to stop: no new request
      result.why = http::interrupted();
      break;
    }
    const http::Response response = fetcher.get(url);
    ++result.attempts;
    const http::Attempt attempt = http::judge(response);
    if (attempt.ok) {
      finish_page(options, response, result);
      break;
    }
    if (!attempt.retry || result.attempts > options.retries) {
      result.why = after_attempts(attempt.why, result.attempts);
      break;
    }
    const auto backoff = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        backoff_before(options, result.attempts));
    http::sleep_until(std::chrono::steady_clock::now() + backoff); // a signal cuts it short
  }
  result.seconds = clock.seconds();
  return result;
}

int stopped(const Options& options, int signal, bool speak) {
  if (speak)
    print_error("scrape", http::interrupted() + ": the pages saved before it are in " + options.out.string() +
                             "; results.csv is not written");
  return 128 + signal;
}

void end_now(int signal) {
  std::fflush(nullptr);
  std::_Exit(128 + signal);
}

std::string progress_line(const PageResult& result) {
  std::string line = "page " + std::to_string(result.page);
  if (!result.ok) return line + " failed: " + result.why;
  if (result.rows == 0)
    line += ": saved, " + std::to_string(result.bytes) + " bytes";
  else
    line += ": " + std::to_string(result.rows) + " books";
  if (result.replaced) line += " (warning: " + std::to_string(result.replaced) + " bytes were not UTF-8)";
  return line;
}

void save_combined(const Options& options, const std::vector<PageResult>& results) {
  if (options.raw) return;
  std::string csv = books::csv_header(true);
  for (const PageResult& result : results)
    if (result.ok) csv += result.csv;
  files::write_atomically(options.out / "results.csv", csv);
}

void report(Report& report, const Options& options, const std::vector<PageResult>& results, double seconds) {
  std::size_t saved = 0, rows = 0, bytes = 0;
  Json failures = Json::array(), warnings = Json::array(), pages = Json::array();
  std::vector<std::uint64_t> written;
  std::string failed_text, warned_text; // "page 3: HTTP 404; page 7: Timeout was reached"
  for (const PageResult& r : results) {
    saved += r.ok;
    rows += r.rows;
    bytes += r.bytes;
    if (r.ok) written.push_back(r.page);
    pages.push_back({{"page", r.page},
                     {"ok", r.ok},
                     {"why", r.why},
                     {"attempts", r.attempts},
                     {"bytes", r.bytes},
                     {"rows", r.rows},
                     {"replaced", r.replaced},
                     {"seconds", r.seconds}});
    if (!r.ok) {
      failures.push_back({{"page", r.page}, {"why", r.why}, {"attempts", r.attempts}});
      failed_text.append(failed_text.empty() ? "" : "; ").append("page " + std::to_string(r.page) + ": " + r.why);
    }
    if (r.replaced) {
      const std::string why = std::to_string(r.replaced) + " bytes not UTF-8, replaced by U+FFFD";
      warnings.push_back({{"page", r.page}, {"why", why}});
      warned_text.append(warned_text.empty() ? "" : "; ").append("page " + std::to_string(r.page) + ": " + why);
    }
  }
  std::sort(written.begin(), written.end());
  const std::string pattern = options.raw ? "html_books_{" : "results_{";
  const std::string suffix = options.raw ? "}.html" : "}.csv";
  std::string files = written.empty() ? "no page files" : pattern + page_list(written) + suffix;
  if (!options.raw) files += " and results.csv (exactly these pages' rows)";
  const std::size_t failed = results.size() - saved;
  report.add("pages", results.size());
  report.add("saved", saved, "pages saved", std::to_string(saved) + " of " + std::to_string(results.size()));
  if (!options.raw) report.add("rows", rows, "rows");
  report.add("bytes", bytes, "bytes downloaded");
  report.add("failed", failed, "pages failed");
  report.add_json("failures", failures).line("failures", failed_text.empty() ? "none" : failed_text);
  report.add_json("warnings", warnings).line("warnings", warned_text.empty() ? "none" : warned_text);
  report.add("seconds", seconds, "seconds", format_seconds(seconds));
  report.add("pages_per_second", seconds > 0 ? results.size() / seconds : 0.0, "pages per second",
             show(seconds > 0 ? results.size() / seconds : 0.0));
  report.add("out", options.out.string(), "saved in");
  report.add("written", written, "this run wrote", files);
  if (!options.raw) report.add("combined", (options.out / "results.csv").string(), "all rows in");
  report.add_json("per_page", pages);
  report.verdict(failed == 0, std::to_string(failed) + " of " + std::to_string(results.size()) + " pages failed");
}

Summary summary(const PageResult& result) {
  Summary s;
  s.page = result.page, s.bytes = result.bytes, s.rows = result.rows, s.replaced = result.replaced;
  s.csv_bytes = result.csv.size(), s.seconds = result.seconds, s.attempts = result.attempts, s.ok = result.ok;
  std::snprintf(s.why, sizeof s.why, "%s", result.why.c_str());
  return s;
}

PageResult from_summary(const Summary& s, std::string csv) {
  PageResult result;
  result.page = s.page, result.bytes = s.bytes, result.rows = s.rows, result.replaced = s.replaced;
  result.seconds = s.seconds, result.attempts = s.attempts, result.ok = s.ok, result.why = s.why;
  result.csv = std::move(csv);
  return result;
}

} // namespace paracon::experiments::scrape
