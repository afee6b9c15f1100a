// What the machine offers: memory, for the checks made before any large allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace paracon {

// Memory the kernel says can be allocated without swapping (MemAvailable), or 0 if unknown.
std::uint64_t available_memory();

// This process's peak resident memory so far, in bytes.
std::uint64_t peak_memory();

// The one-line refusal of a run that cannot fit: "WHAT need(s) 2.2 GiB of memory, 1.1 GiB is
// available (ADVICE)"; nothing when `needed` fits or the free memory is unknown (0).
std::optional<std::string> memory_refusal(const std::string& what, double needed, std::uint64_t available,
                                          const std::string& advice = {});

// "1.5 GiB", "320 MiB", "12 KiB": for messages.
std::string format_bytes(double bytes);

} // namespace paracon
