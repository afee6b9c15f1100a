// Files written whole or not at all. A reader of `path` sees the old file or the whole new one,
// never half of one: the contents go to a hidden temporary file beside it, are flushed to disk,
// and the temporary is renamed over `path`.
//
// The temporaries are named `.NAME.paracon.HOST.PID.XXXXXX`. The first SIGINT, SIGTERM or SIGHUP
// asks the program to stop (stop_requested): no temporary is created after it, and the program
// ends its work and removes nothing it has not finished. A second removes the ones being written
// and ends the process as the signal says. A run killed outright (SIGKILL) leaves its own, which
// sweep_temporaries removes at the next run's start. Temporaries of a run still alive (another
// process writing to the same folder) are never touched.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace paracon::files {

// Why a file could not be written: "cannot write DIR/results_3.csv: write: No space left".
struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `contents` to `path` atomically, as above. Throws WriteError.
void write_atomically(const std::filesystem::path& path, std::string_view contents);

// Installs the handlers of SIGINT, SIGTERM and SIGHUP above (where nobody else installed one: an
// MPI library may have); write_atomically installs them too.
void stop_on_signals();
// The signal that asked the program to stop, or 0.
int stop_requested();

// Removes the temporaries in `folder` that a dead process of this host left (see above).
// Returns how many.
std::size_t sweep_temporaries(const std::filesystem::path& folder);

} // namespace paracon::files
