// What the machine offers: memory, for the checks made before any large allocation, and
// threads, for the check made before the first parallel region.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace paracon {

// Memory the kernel says can be allocated without swapping (MemAvailable), or 0 if unknown.
std::uint64_t available_memory();

// The share of the available memory a run may plan to take: the rest is headroom for the
// system, page tables and the kernel's own bookkeeping (without it, a run that "fits" into the
// last gigabyte thrashes: 20 times slower, most of it in system time).
inline constexpr double usable_share = 0.85;

// This process's peak resident memory so far, in bytes.
std::uint64_t peak_memory();

// The one-line refusal of a run that cannot fit: "WHAT 22.4 GiB of memory, 23.1 GiB is
// available and a run may use 85% of it (ADVICE)"; nothing when `needed` fits in the usable
// share of `available`, or the free memory is unknown (0).
std::optional<std::string> memory_refusal(const std::string& what, double needed, std::uint64_t available,
                                          const std::string& advice = {});

// The most threads one program may ask for: what the kernel allows a process (threads-max,
// the memory maps their stacks take, RLIMIT_NPROC), and never more than 4096.
std::uint64_t thread_limit();

// "1.5 GiB", "320 MiB", "12 KiB": for messages.
std::string format_bytes(double bytes);

} // namespace paracon
