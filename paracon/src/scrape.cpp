#include "paracon/scrape.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <queue>
#include <stdexcept>
#include <thread>

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <unistd.h>

namespace paracon::scrape {

using Clock = std::chrono::steady_clock;

//////////////////////////////////////////////////////////////////////////////////////////////
// Parsing: libxml2's HTML parser builds the tree, XPath finds the books in it
//////////////////////////////////////////////////////////////////////////////////////////////

namespace {

// XPath's way of asking "has the class token X" (class="instock availability" has both).
std::string has_class(const std::string& token) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + token + " ')";
}

std::string trim(std::string_view text) {
  const char* space = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

// The string value of the first node `expression` selects below `node`; nothing when it
// selects none.
std::optional<std::string> first_string(xmlXPathContextPtr context, xmlNodePtr node, const std::string& expression) {
  xmlXPathObjectPtr found = xmlXPathNodeEval(node, reinterpret_cast<const xmlChar*>(expression.c_str()), context);
  std::optional<std::string> value;
  if (found && found->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty(found->nodesetval)) {
    xmlChar* text = xmlXPathCastNodeSetToString(found->nodesetval);
    value = reinterpret_cast<const char*>(text);
    xmlFree(text);
  }
  xmlXPathFreeObject(found);
  return value;
}

} // namespace

std::int64_t parse_price(std::string_view text) {
  const std::string price = trim(text);
  const std::string_view pound = "\xC2\xA3"; // £ in UTF-8
  std::string_view digits(price);
  const auto refuse = [&] { return PageError{"price '" + price + "' is not a price in \xC2\xA3"}; };
  if (!digits.starts_with(pound)) throw refuse();
  digits.remove_prefix(pound.size());
  std::int64_t pounds = 0, pence = 0;
  std::size_t i = 0, whole = 0, fraction = 0;
  for (; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])) && whole < 12; ++i, ++whole)
    pounds = pounds * 10 + (digits[i] - '0');
  if (whole == 0) throw refuse();
  if (i < digits.size() && digits[i] == '.') {
    for (++i; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])) && fraction < 2; ++i, ++fraction)
      pence = pence * 10 + (digits[i] - '0');
    if (fraction == 0) throw refuse();
    if (fraction == 1) pence *= 10;
  }
  if (i != digits.size()) throw refuse();
  return pounds * 100 + pence;
}

std::vector<Book> parse_page(std::string_view html, const std::string& encoding) {
  if (html.empty()) throw PageError{"empty body"};
  if (html.substr(0, 4096).find('\0') != std::string_view::npos) throw PageError{"not HTML (binary body)"};
  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr,
                                  encoding.empty() ? "UTF-8" : encoding.c_str(), flags);
  if (!doc) throw PageError{"unparseable HTML"};
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  const std::string articles_path = "//article[" + has_class("product_pod") + "]";
  xmlXPathObjectPtr articles = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(articles_path.c_str()), context);

  std::vector<Book> books;
  std::string why;
  const int count = articles && articles->nodesetval ? articles->nodesetval->nodeNr : 0;
  if (count == 0) why = "no books on the page";
  for (int k = 0; k < count && why.empty(); ++k) {
    xmlNodePtr article = articles->nodesetval->nodeTab[k];
    const std::string which = "malformed HTML: book " + std::to_string(k + 1) + " of " + std::to_string(count);
    // The notebook's three look-ups, asked of each book so that a missing field cannot shift
    // the columns against each other as three separate lists would.
    const auto title = first_string(context, article, ".//h3/a/@title");
    const auto price = first_string(context, article, ".//p[" + has_class("price_color") + "]");
    const auto stock = first_string(context, article, ".//p[" + has_class("availability") + "]");
    if (!title) why = which + " has no title";
    else if (!price) why = which + " has no price";
    else if (!stock) why = which + " has no availability";
    else {
      try {
        books.push_back({*title, trim(*price), trim(*stock) == "In stock", parse_price(*price)});
      } catch (const PageError& e) {
        why = which + ": " + e.why;
      }
    }
  }
  xmlXPathFreeObject(articles);
  xmlXPathFreeContext(context);
  xmlFreeDoc(doc);
  if (!why.empty()) throw PageError{why};
  return books;
}

//////////////////////////////////////////////////////////////////////////////////////////////
// CSV, written atomically
//////////////////////////////////////////////////////////////////////////////////////////////

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_header(bool with_page) {
  return std::string(with_page ? "Page," : "") + "Title,Price,Stock Availability,Price (GBP)\n";
}

std::string csv_rows(const std::vector<Book>& books, std::int64_t page) {
  std::string out;
  char number[32];
  for (const Book& book : books) {
    if (page >= 0) out.append(std::to_string(page)).append(",");
    std::snprintf(number, sizeof number, "%lld.%02lld", static_cast<long long>(book.pence / 100),
                  static_cast<long long>(book.pence % 100));
    out.append(csv_field(book.title)).append(",").append(csv_field(book.price)).append(",");
    out.append(book.in_stock ? "True" : "False").append(",").append(number).append("\n");
  }
  return out;
}

void write_atomically(const std::filesystem::path& path, std::string_view contents) {
  const auto fail = [&](const std::string& what) {
    return PageError{"cannot write " + path.string() + ": " + what + ": " + std::strerror(errno)};
  };
  std::string temporary = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(temporary.data());
  if (fd < 0) throw fail("create");
  bool ok = fchmod(fd, 0644) == 0;
  for (std::size_t written = 0; ok && written < contents.size();) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && fsync(fd) == 0; // on disk before the rename makes it visible
  const int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(temporary.c_str(), path.c_str()) == 0) return;
  errno = errno ? errno : saved;
  const PageError error = fail("write");
  ::unlink(temporary.c_str());
  throw error;
}

//////////////////////////////////////////////////////////////////////////////////////////////
// Options
//////////////////////////////////////////////////////////////////////////////////////////////

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
  app.add_option("--timeout", options.timeout, "Seconds a request may take, connecting included")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cli.add_count("--retries", options.retries, "Further attempts after a timeout, a refused connection or a 5xx", 0, 10);
  app.add_option("--backoff", options.backoff, "Seconds before the first retry; doubled for each next one")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rate", options.rate, "At most this many requests per second in all (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--user-agent", options.user_agent, "The User-Agent header sent")->capture_default_str();
}

std::string check_options(const Options& options) {
  const auto first = options.url.find("{}");
  if (first == std::string::npos || options.url.find("{}", first + 1) != std::string::npos)
    return "--url: '" + options.url + "' must contain {} once, where the page number goes";
  if (options.pages.empty()) return "--pages: no pages given";
  if (options.user_agent.empty() || options.user_agent.find_first_of("\r\n") != std::string::npos)
    return "--user-agent: must be one non-empty line";
  std::error_code error;
  std::filesystem::create_directories(options.out, error);
  if (!error && !std::filesystem::is_directory(options.out, error)) error = std::make_error_code(std::errc::not_a_directory);
  if (error) return "--out: cannot use '" + options.out.string() + "' as a folder: " + error.message();
  if (access(options.out.c_str(), W_OK) != 0) return "--out: cannot write to '" + options.out.string() + "': " + std::strerror(errno);
  return {};
}

std::string page_url(const Options& options, std::uint64_t page) {
  std::string url = options.url;
  return url.replace(url.find("{}"), 2, std::to_string(page));
}

RateLimiter::RateLimiter(double per_second) {
  if (per_second > 0) interval_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1 / per_second));
}

Clock::time_point RateLimiter::reserve() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  const auto slot = std::max(now, next_);
  next_ = slot + interval_;
  return slot;
}

void RateLimiter::wait() { std::this_thread::sleep_until(reserve()); }

//////////////////////////////////////////////////////////////////////////////////////////////
// Fetching with libcurl
//////////////////////////////////////////////////////////////////////////////////////////////

namespace {

constexpr std::size_t max_body = 64u << 20; // a catalogue page is 50 kB; refuse to hoard more

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* into) {
  auto& body = static_cast<Response*>(into)->body;
  if (body.size() + size * count > max_body) return 0; // libcurl stops with CURLE_WRITE_ERROR
  body.append(data, size * count);
  return size * count;
}

// After a transfer: the status and type libcurl learnt, and the outcome.
void collect(CURL* easy, CURLcode code, Response& response) {
  response.curl_code = code;
  if (code != CURLE_OK)
    response.curl_error = code == CURLE_WRITE_ERROR && response.body.size() + 1 > max_body / 2
                              ? "body larger than 64 MiB"
                              : curl_easy_strerror(code);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  const char* type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
  response.content_type = type ? type : "";
}

std::string charset_of(const std::string& content_type) {
  auto at = content_type.find("charset=");
  if (at == std::string::npos) return {};
  std::string charset = content_type.substr(at + 8);
  charset = charset.substr(0, charset.find(';'));
  std::erase(charset, '"');
  return trim(charset);
}

} // namespace

Library::Library() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  xmlInitParser(); // libxml2's global state, before any thread parses
}

Library::~Library() {
  xmlCleanupParser();
  curl_global_cleanup();
}

void Fetcher::configure(void* handle, const Options& options, const std::string& url, Response& response) {
  CURL* easy = static_cast<CURL*>(handle);
  const long timeout_ms = std::max(1L, std::lround(options.timeout * 1000));
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L); // threads: no SIGALRM for timeouts
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decompress
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &response);
}

Fetcher::Fetcher(const Options& options) : options_(options), easy_(curl_easy_init()) {
  if (!easy_) throw std::runtime_error("curl_easy_init failed");
}

Fetcher::~Fetcher() { curl_easy_cleanup(static_cast<CURL*>(easy_)); }

Response Fetcher::get(const std::string& url) {
  Response response;
  CURL* easy = static_cast<CURL*>(easy_);
  curl_easy_reset(easy); // the connection cache survives a reset: keep-alive across pages
  configure(easy, options_, url, response);
  collect(easy, curl_easy_perform(easy), response);
  return response;
}

Attempt judge(const Response& response) {
  if (response.curl_code != CURLE_OK) {
    switch (response.curl_code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE: return {false, true, response.curl_error};
    default: return {false, false, response.curl_error};
    }
  }
  if (response.status >= 300) // file:// has no status (0); redirects were followed
    return {false, response.status >= 500 || response.status == 429 || response.status == 408,
            "HTTP " + std::to_string(response.status)};
  return {true, false, {}};
}

void finish_page(const Options& options, const Response& response, PageResult& result) {
  result.bytes = response.body.size();
  try {
    const std::string& type = response.content_type;
    if (!type.empty() && !type.starts_with("text/html") && !type.starts_with("application/xhtml+xml"))
      throw PageError{"not HTML (Content-Type: " + type + ")"};
    const std::string page = std::to_string(result.page);
    if (options.raw) {
      if (response.body.empty()) throw PageError{"empty body"};
      write_atomically(options.out / ("html_books_" + page + ".html"), response.body);
    } else {
      result.books = parse_page(response.body, charset_of(type));
      write_atomically(options.out / ("results_" + page + ".csv"), csv_header(false) + csv_rows(result.books));
    }
    result.ok = true;
  } catch (const PageError& e) {
    result.books.clear();
    result.why = e.why;
  } catch (const std::exception& e) { // std::bad_alloc and the like: still one page's failure
    result.books.clear();
    result.why = e.what();
  }
}

namespace {

std::string after_attempts(const std::string& why, unsigned attempts) {
  return attempts > 1 ? why + " (after " + std::to_string(attempts) + " attempts)" : why;
}

std::chrono::duration<double> backoff_before(const Options& options, unsigned attempt) {
  return std::chrono::duration<double>(options.backoff * std::ldexp(1.0, static_cast<int>(attempt) - 1));
}

} // namespace

PageResult scrape_page(Fetcher& fetcher, const Options& options, std::uint64_t page, RateLimiter& limiter) {
  PageResult result;
  result.page = page;
  const Stopwatch clock;
  const std::string url = page_url(options, page);
  for (;;) {
    limiter.wait();
    const Response response = fetcher.get(url);
    ++result.attempts;
    const Attempt attempt = judge(response);
    if (attempt.ok) {
      finish_page(options, response, result);
      break;
    }
    if (!attempt.retry || result.attempts > options.retries) {
      result.why = after_attempts(attempt.why, result.attempts);
      break;
    }
    std::this_thread::sleep_for(backoff_before(options, result.attempts));
  }
  result.seconds = clock.seconds();
  return result;
}

std::vector<PageResult> scrape_multi(const Options& options, std::size_t in_flight, RateLimiter& limiter,
                                     const std::function<void(const PageResult&)>& done) {
  const std::size_t count = options.pages.size();
  std::vector<PageResult> results(count);
  std::vector<Response> responses(count);
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
      responses[i] = Response{};
      Fetcher::configure(easy, options, page_url(options, options.pages[i]), responses[i]);
      if (results[i].attempts == 0) started[i] = now;
      ++results[i].attempts;
      curl_multi_add_handle(multi, easy);
      ++running;
    }
  };

  int still_running = 0;
  while (finished < count) {
    start_ready();
    curl_multi_perform(multi, &still_running);

    // Transfers that ended: retried later, or arrived.
    std::vector<std::size_t> arrived;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      Response* response = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &response);
      const std::size_t i = static_cast<std::size_t>(response - responses.data());
      collect(easy, message->data.result, *response);
      curl_multi_remove_handle(multi, easy);
      idle.push_back(easy);
      --running;
      const Attempt attempt = judge(*response);
      if (!attempt.ok && attempt.retry && results[i].attempts <= options.retries) {
        const auto delay = std::chrono::duration_cast<Clock::duration>(backoff_before(options, results[i].attempts));
        retries.emplace(Clock::now() + delay, i);
      } else {
        if (!attempt.ok) results[i].why = after_attempts(attempt.why, results[i].attempts);
        arrived.push_back(i);
      }
    }
    if (!arrived.empty()) { // the next requests leave before this thread turns to parsing
      start_ready();
      curl_multi_perform(multi, &still_running);
    }
    for (std::size_t i : arrived) {
      PageResult& result = results[i];
      if (result.why.empty()) finish_page(options, responses[i], result);
      responses[i].body = std::string(); // the page is saved; free its memory now
      result.seconds = std::chrono::duration<double>(Clock::now() - started[i]).count();
      ++finished;
      done(result);
    }
    if (finished == count) break;

    // Sleep until a transfer has news, a retry or a rate-limited start is due: at most 100 ms.
    const auto now = Clock::now();
    if (running < in_flight && !ready.empty() && !(reserved && slot > now)) continue; // a slot is free
    auto wake = now + std::chrono::milliseconds(100);
    if (!retries.empty()) wake = std::min(wake, retries.top().first);
    if (reserved) wake = std::min(wake, slot);
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max<long long>(0, wait_ms)), nullptr);
  }
  for (CURL* easy : idle) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
  return results;
}

//////////////////////////////////////////////////////////////////////////////////////////////
// Progress, the combined file and the report
//////////////////////////////////////////////////////////////////////////////////////////////

Progress::Progress(std::size_t total, std::string prefix)
    : total_(total), prefix_(std::move(prefix)), terminal_(isatty(STDERR_FILENO)) {}

void Progress::draw_locked(bool force) {
  const double now = clock_.seconds();
  if (!force && now - drawn_at_ < 0.1) return; // a redraw per 100 ms is plenty
  drawn_at_ = now;
  constexpr std::size_t width = 30;
  const std::size_t filled = total_ ? done_ * width / total_ : width;
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  std::fprintf(stderr, "\r\033[K%s[%s] %zu/%zu pages  %.1f pages/s  %zu error%s", prefix_.c_str(), bar.c_str(), done_,
               total_, now > 0 ? done_ / now : 0.0, errors_, errors_ == 1 ? "" : "s");
  std::fflush(stderr);
}

void Progress::done(const PageResult& result) {
  std::lock_guard lock(mutex_);
  ++done_;
  errors_ += !result.ok;
  std::string line = prefix_ + "page " + std::to_string(result.page);
  if (!result.ok) line += " failed: " + result.why;
  else if (result.books.empty()) line += ": saved, " + std::to_string(result.bytes) + " bytes";
  else line += ": " + std::to_string(result.books.size()) + " books";
  if (terminal_) {
    if (!result.ok) std::fprintf(stderr, "\r\033[K%s\n", line.c_str()); // failures stay on screen
    draw_locked(done_ == total_);
  } else {
    std::fprintf(stderr, "%s (%.2f s)\n", line.c_str(), result.seconds);
    std::fflush(stderr);
  }
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (!terminal_ || total_ == 0) return;
  draw_locked(true);
  std::fputc('\n', stderr);
}

void save_combined(const Options& options, const std::vector<PageResult>& results) {
  if (options.raw) return;
  std::string csv = csv_header(true);
  for (const PageResult& result : results)
    if (result.ok) csv += csv_rows(result.books, static_cast<std::int64_t>(result.page));
  write_atomically(options.out / "results.csv", csv);
}

void report(Report& report, const Options& options, const std::vector<PageResult>& results, double seconds) {
  std::size_t saved = 0, rows = 0, bytes = 0;
  Json failures = Json::array(), pages = Json::array();
  for (const PageResult& result : results) {
    saved += result.ok;
    rows += result.books.size();
    bytes += result.bytes;
    Json page = to_json(result);
    page.erase("books"); // the rows are in the CSV files
    pages.push_back(page);
    if (!result.ok) failures.push_back({{"page", result.page}, {"why", result.why}, {"attempts", result.attempts}});
  }
  const std::size_t failed = results.size() - saved;
  report.add("pages", results.size());
  report.add("saved", saved, "pages saved", std::to_string(saved) + " of " + std::to_string(results.size()));
  if (!options.raw) report.add("rows", rows, "rows");
  report.add("bytes", bytes, "bytes downloaded");
  report.add("failed", failed, "pages failed");
  std::string listed; // "page 3: HTTP 404; page 7: Timeout was reached"
  for (const PageResult& result : results)
    if (!result.ok) listed.append(listed.empty() ? "" : "; ").append("page ").append(std::to_string(result.page)).append(": ").append(result.why);
  report.add("failures", failures, "failures", listed.empty() ? "none" : listed);
  report.add("seconds", seconds, "seconds", show(seconds));
  report.add("pages_per_second", seconds > 0 ? results.size() / seconds : 0.0, "pages per second",
             show(seconds > 0 ? results.size() / seconds : 0.0));
  report.add("out", options.out.string(), "saved in");
  if (!options.raw) report.add("combined", (options.out / "results.csv").string(), "all rows in");
  report.add_json("per_page", pages);
  report.verdict(failed == 0, std::to_string(failed) + " of " + std::to_string(results.size()) + " pages failed");
}

Json to_json(const PageResult& result) {
  Json books = Json::array();
  for (const Book& book : result.books) books.push_back({book.title, book.price, book.in_stock, book.pence});
  return {{"page", result.page},       {"ok", result.ok},           {"why", result.why},
          {"attempts", result.attempts}, {"bytes", result.bytes}, {"seconds", result.seconds},
          {"rows", result.books.size()}, {"books", books}};
}

PageResult from_json(const Json& json) {
  PageResult result;
  result.page = json["page"];
  result.ok = json["ok"];
  result.why = json["why"];
  result.attempts = json["attempts"];
  result.bytes = json["bytes"];
  result.seconds = json["seconds"];
  for (const Json& book : json["books"]) result.books.push_back({book[0], book[1], book[2], book[3]});
  return result;
}

} // namespace paracon::scrape
