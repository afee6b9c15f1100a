// Exact integers: the 128-bit type that holds every range sum up to N = 2^63, and its decimal
// form.
#pragma once

#include <cstdint>
#include <string>

namespace paracon {

// GCC and Clang's unsigned 128-bit integer: sum(range(N)) < 2^126 for every N <= 2^63.
using u128 = unsigned __int128;

// The largest count the programs accept: 2^63, the first value int64 cannot hold.
inline constexpr std::uint64_t max_count = std::uint64_t{1} << 63;

// Decimal digits of v ("0" for zero).
std::string to_string(u128 v);

} // namespace paracon
