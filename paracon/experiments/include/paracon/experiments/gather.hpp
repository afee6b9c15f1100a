// What the gather programs share: notebook 000's Act 1 cell
//
//     async def a(): print("ba")              async def start():
//     def b(): print("ca")  (a coroutine)         print('a'); await asyncio.gather(a(), b())
//                                                 print('xi'); return '!'
//     print(*await asyncio.gather(start()))   ->  a  ba  ca  xi  !
//
// as lines to print and check, with the "await" made real: each coroutine waits --delay seconds
// (a network reply, say) before it has its value.
#pragma once

#include <string>
#include <vector>

#include "paracon/plumbing/cli.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::gather {

// The notebook's output, in its order.
const std::vector<std::string>& notebook_lines();

struct Options {
  double delay = 0.1; // seconds each of a() and b() waits before it has its value
};
void add_options(Cli& cli, Options& options);

// a() and b(): wait, then return what the notebook's coroutine prints.
std::string coroutine_a(const Options& options);
std::string coroutine_b(const Options& options);

// Why `lines` are not the notebook's (empty when they are).
std::string check_lines(const std::vector<std::string>& lines);

} // namespace paracon::experiments::gather
