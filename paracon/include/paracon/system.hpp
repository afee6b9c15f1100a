// What the machine offers: memory, for the checks made before any large allocation.
#pragma once

#include <cstdint>
#include <string>

namespace paracon {

// Memory the kernel says can be allocated without swapping (MemAvailable), or 0 if unknown.
std::uint64_t available_memory();

// This process's peak resident memory so far, in bytes.
std::uint64_t peak_memory();

// "1.5 GiB", "320 MiB", "12 KiB": for messages.
std::string format_bytes(double bytes);

} // namespace paracon
