#include "paracon/plumbing/progress.hpp"

#include <cstdio>

#include <unistd.h>

namespace paracon {

Progress::Progress(std::size_t total, std::string noun, std::string prefix)
    : total_(total), noun_(std::move(noun)), prefix_(std::move(prefix)), terminal_(isatty(STDERR_FILENO)) {}

void Progress::draw_locked(bool force) {
  const double now = clock_.seconds();
  if (!force && now - drawn_at_ < 0.1) return; // a redraw per 100 ms is plenty
  drawn_at_ = now;
  constexpr std::size_t width = 30;
  const std::size_t filled = total_ ? done_ * width / total_ : width;
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  std::fprintf(stderr, "\r\033[K%s[%s] %zu/%zu %s  %.1f %s/s  %zu error%s", prefix_.c_str(), bar.c_str(), done_, total_,
               noun_.c_str(), now > 0 ? done_ / now : 0.0, noun_.c_str(), errors_, errors_ == 1 ? "" : "s");
  std::fflush(stderr);
}

void Progress::done(bool ok, const std::string& line, double seconds) {
  std::lock_guard lock(mutex_);
  ++done_;
  errors_ += !ok;
  if (terminal_) {
    if (!ok) std::fprintf(stderr, "\r\033[K%s%s\n", prefix_.c_str(), line.c_str()); // failures stay on screen
    draw_locked(done_ == total_);
  } else {
    std::fprintf(stderr, "%s%s (%s)\n", prefix_.c_str(), line.c_str(), format_seconds(seconds).c_str());
    std::fflush(stderr);
  }
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (!terminal_ || total_ == 0) return;
  draw_locked(true);
  std::fputc('\n', stderr);
}

} // namespace paracon
