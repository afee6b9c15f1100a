// Exact integers: the 128-bit type that holds every range sum up to N = 2^63, its decimal
// form, and the parser for counts typed on the command line ("300000000", "3e8", "10e9").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace paracon {

// GCC and Clang's unsigned 128-bit integer: sum(range(N)) < 2^126 for every N <= 2^63.
using u128 = unsigned __int128;

// The largest count the programs accept: 2^63, the first value int64 cannot hold.
inline constexpr std::uint64_t max_count = std::uint64_t{1} << 63;

// Decimal digits of v ("0" for zero).
std::string to_string(u128 v);

// Parses an exact non-negative integer: digits, optionally followed by e or E and exponent
// digits ("3e8", "10e9"). Signs, spaces, fractions ("1.5e3"), trailing text and values above
// `max` are refused with std::invalid_argument, whose what() is one line naming the text.
std::uint64_t parse_count(std::string_view text, std::uint64_t max = max_count);

// Parses a list of counts: items separated by commas, each a count or a range "a..b" with both
// ends included ("1..6", "2,3,5", "1..3,10"). Each count lies in [min, max]; at most
// `max_items` items in all. Refusals as parse_count's.
std::vector<std::uint64_t> parse_list(std::string_view text, std::uint64_t min, std::uint64_t max,
                                      std::size_t max_items = 1000000);

} // namespace paracon
