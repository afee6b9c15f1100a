// HTTP with libcurl, the way every request of the project is made: bounded in time (connecting
// included) and in size, with a User-Agent, following redirects, over http, https and file://
// only; what a response was; whether a failed attempt is worth another; and a rate limit that
// threads share.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace paracon::http {

struct Settings {
  double timeout = 10;              // seconds a request may take, connecting included
  std::string user_agent;           // the User-Agent header
  std::size_t max_body = 64u << 20; // bytes a response may bring; more is a failure, not a hoard
};

// A response as libcurl delivered it.
struct Response {
  int curl_code = 0; // CURLE_OK when the transfer completed
  std::string curl_error;
  long status = 0; // HTTP status; 0 for file:// URLs
  std::string content_type;
  std::string body;
  std::size_t max_body = 0; // set by configure(): the body stops growing here
};

// curl_global_init and curl_global_cleanup, once, before any thread starts.
class Library {
public:
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

// Sets up a libcurl easy handle (a CURL*) for `url` with `settings`; the transfer fills
// `response` (body and headers). For threads' own handles and for the multi interface alike.
void configure(void* easy, const Settings& settings, const std::string& url, Response& response);
// After a transfer ends with `code`: the status, type and outcome, into `response`.
void collect(void* easy, int code, Response& response);

// One easy handle, reused for every request of one worker (connections stay open).
class Fetcher {
public:
  explicit Fetcher(const Settings& settings);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;
  Response get(const std::string& url);

private:
  const Settings& settings_;
  void* easy_;
};

// The outcome of one attempt: a failure that a retry may cure (timeouts, refused connections,
// 5xx, 429, 408) or not (404, 403), or success.
struct Attempt {
  bool ok = false, retry = false;
  std::string why;
};
Attempt judge(const Response& response);

// Requests started no faster than `per_second` over every thread that shares the limiter.
class RateLimiter {
public:
  explicit RateLimiter(double per_second);
  // The moment this caller may start its request; blocks no one (an event loop asks it).
  std::chrono::steady_clock::time_point reserve();
  void wait(); // reserve, then sleep until then (or until a signal asks the program to stop)

private:
  std::mutex mutex_;
  std::chrono::steady_clock::duration interval_{};
  std::chrono::steady_clock::time_point next_{};
};

// Sleeps until `when`; false when a signal asked the program to stop first (files::stop_requested).
bool sleep_until(std::chrono::steady_clock::time_point when);

// "interrupted by SIGINT": a transfer's or a page's reason once a signal asked the program to stop.
std::string interrupted();

} // namespace paracon::http
