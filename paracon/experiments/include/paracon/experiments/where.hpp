// What hybrid/where reports: every rank's and thread's placement, in order, checked.
#pragma once

#include <vector>

#include "paracon/plumbing/placement.hpp"
#include "paracon/plumbing/report.hpp"

namespace paracon::experiments::where {

// Prints one line per rank and thread (people) or a "placements" array (JSON), with the
// binding settings from the environment, and the verdict: every rank with a complete set of
// threads 0..T-1, and every CPU inside its own mask.
void report(Report& report, std::vector<Placement> all, int ranks);

} // namespace paracon::experiments::where
