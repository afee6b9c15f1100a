// Progress on stderr while items finish: a bar redrawn in place when stderr is a terminal
// (items done of total, rate, errors; failures stay on screen above it), otherwise one plain
// line per item. Safe to call from any thread.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include "paracon/plumbing/report.hpp"

namespace paracon {

class Progress {
public:
  // `noun` names the items ("pages"); `prefix` starts every line ("rank 2: ").
  Progress(std::size_t total, std::string noun, std::string prefix = {});
  // One item finished: `line` says which and how ("page 3: 20 books"), `seconds` how long it took.
  void done(bool ok, const std::string& line, double seconds);
  void finish(); // ends the bar's line

private:
  void draw_locked(bool force);
  std::mutex mutex_;
  std::size_t total_, done_ = 0, errors_ = 0;
  std::string noun_, prefix_;
  bool terminal_;
  Stopwatch clock_;
  double drawn_at_ = -1;
};

} // namespace paracon
