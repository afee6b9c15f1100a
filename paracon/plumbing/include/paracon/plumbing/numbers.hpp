// The number parsers of the command line: counts ("300000000", "3e8", "10e9"), lists of counts
// ("1..6", "2,3,5") and decimals ("0.05", "1e-3"). Each refuses what is not exactly what it
// promises with std::invalid_argument, whose what() is one short line naming the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "paracon/kernels/exact.hpp"

namespace paracon {

// Parses an exact non-negative integer: digits, optionally followed by e or E and exponent
// digits ("3e8", "10e9"). Signs, spaces, fractions ("1.5e3"), trailing text and values above
// `max` are refused.
std::uint64_t parse_count(std::string_view text, std::uint64_t max = max_count);

// parse_count's rule without its message (and without an exception: it can run before the
// C++ runtime has started): the value in `value`, or why not.
enum class CountError { none, empty, negative, not_exact, too_large };
CountError count_value(std::string_view text, std::uint64_t max, std::uint64_t& value) noexcept;

// Parses a list of counts: items separated by commas, each a count or a range "a..b" with both
// ends included ("1..6", "2,3,5", "1..3,10"). Each count lies in [min, max]; at most
// `max_items` items in all. Refusals as parse_count's.
std::vector<std::uint64_t> parse_list(std::string_view text, std::uint64_t min, std::uint64_t max,
                                      std::size_t max_items = 1000000);

// Parses a decimal number in [min, max]: "0.05", "5", "1e-3". NaN, infinities, hexadecimal,
// trailing text and values outside the bounds are refused; so is a value that is not zero but
// rounds to zero ("1e-400").
double parse_decimal(std::string_view text, double min, double max);

// 'text' for a message, cut to its first 40 characters when longer: a refusal echoes what was
// typed, but never a whole 100 000-character argument.
std::string in_quotes(std::string_view text);

} // namespace paracon
