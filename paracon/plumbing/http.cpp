#include "paracon/plumbing/http.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <curl/curl.h>

#include "paracon/plumbing/files.hpp"
#include "paracon/plumbing/system.hpp"

namespace paracon::http {
namespace {

using Clock = std::chrono::steady_clock;

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* into) {
  Response& response = *static_cast<Response*>(into);
  if (response.body.size() + size * count > response.max_body) return 0; // libcurl stops: CURLE_WRITE_ERROR
  response.body.append(data, size * count);
  return size * count;
}

// libcurl asks this about every transfer several times a second: a stop asked for by a signal
// ends it at once (CURLE_ABORTED_BY_CALLBACK).
int stop_transfer(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return files::stop_requested() != 0; }

} // namespace

Library::Library() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
}

Library::~Library() { curl_global_cleanup(); }

void configure(void* handle, const Settings& settings, const std::string& url, Response& response) {
  CURL* easy = static_cast<CURL*>(handle);
  // Bounded before converting: no timeout can overflow into a 1 ms one.
  const long timeout_ms = std::lround(std::clamp(settings.timeout, 0.001, 86400.0) * 1000);
  response.max_body = settings.max_body;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L); // threads: no SIGALRM for timeouts
  curl_easy_setopt(easy, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decompress
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_body));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &response);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, stop_transfer);
}

void collect(void* handle, int code, Response& response) {
  CURL* easy = static_cast<CURL*>(handle);
  response.curl_code = code;
  if (code == CURLE_ABORTED_BY_CALLBACK)
    response.curl_error = interrupted();
  else if (code == CURLE_WRITE_ERROR || code == CURLE_FILESIZE_EXCEEDED)
    response.curl_error = "body larger than " + format_bytes(static_cast<double>(response.max_body));
  else if (code != CURLE_OK)
    response.curl_error = curl_easy_strerror(static_cast<CURLcode>(code));
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  const char* type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
  response.content_type = type ? type : "";
}

Fetcher::Fetcher(const Settings& settings) : settings_(settings), easy_(curl_easy_init()) {
  if (!easy_) throw std::runtime_error("curl_easy_init failed");
}

Fetcher::~Fetcher() { curl_easy_cleanup(static_cast<CURL*>(easy_)); }

Response Fetcher::get(const std::string& url) {
  Response response;
  CURL* easy = static_cast<CURL*>(easy_);
  curl_easy_reset(easy); // the connection cache survives a reset: keep-alive across pages
  configure(easy, settings_, url, response);
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

RateLimiter::RateLimiter(double per_second) {
  if (per_second > 0)
    interval_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1 / per_second));
}

Clock::time_point RateLimiter::reserve() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  const auto slot = std::max(now, next_);
  next_ = slot + interval_;
  return slot;
}

void RateLimiter::wait() { sleep_until(reserve()); }

bool sleep_until(Clock::time_point when) {
  while (!files::stop_requested()) {
    const auto now = Clock::now();
    if (now >= when) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(when - now, std::chrono::milliseconds(20)));
  }
  return false;
}

std::string interrupted() {
  const int signal = files::stop_requested();
  return std::string("interrupted by ") + (signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM"
                                           : signal == SIGHUP ? "SIGHUP" : "a signal");
}

} // namespace paracon::http
