#include "paracon/plumbing/numbers.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace paracon {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Digits to a value, saturating at any value above `cap` so that huge inputs stay bounded.
u128 digits_value(std::string_view digits, u128 cap) {
  u128 value = 0;
  for (char c : digits) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > cap) return cap + 1;
  }
  return value;
}

// A bound as people write it: 10, 0.0001, 1e+30.
std::string bound(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

} // namespace

std::string in_quotes(std::string_view text) {
  constexpr std::size_t longest = 40;
  std::string q = "'"; // built by appending: GCC 12 warns falsely on "'" + std::string
  q.append(text.substr(0, longest));
  if (text.size() > longest)
    q.append("...' (").append(std::to_string(text.size())).append(" characters)");
  else
    q.append("'");
  return q;
}

CountError count_value(std::string_view text, std::uint64_t max, std::uint64_t& out) noexcept {
  const auto e = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, e);
  const std::string_view exponent = e == std::string_view::npos ? std::string_view{} : text.substr(e + 1);
  const auto all_digits = [](std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); };
  if (text.empty()) return CountError::empty;
  if (text.front() == '-') return CountError::negative;
  if (!all_digits(mantissa) || (e != std::string_view::npos && !all_digits(exponent))) return CountError::not_exact;
  const u128 cap = max;
  u128 value = digits_value(mantissa, cap);
  const u128 power = digits_value(exponent, 64); // 10^64 is beyond any cap anyway
  for (u128 k = 0; k < power && value != 0 && value <= cap; ++k) value *= 10;
  if (value > cap) return CountError::too_large;
  out = static_cast<std::uint64_t>(value);
  return CountError::none;
}

std::uint64_t parse_count(std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  switch (count_value(text, max, value)) {
  case CountError::none: return value;
  case CountError::empty: throw std::invalid_argument("'' is not a number: give a count such as 3e8");
  case CountError::negative: throw std::invalid_argument(in_quotes(text) + " is negative; a count is 0 or more");
  case CountError::not_exact:
    throw std::invalid_argument(in_quotes(text) + " is not an exact integer (write 300000000, 3e8 or 10e9)");
  case CountError::too_large:
    throw std::invalid_argument(in_quotes(text) + " is too large: the limit is " + to_string(u128{max}));
  }
  return value;
}

std::vector<std::uint64_t> parse_list(std::string_view text, std::uint64_t min, std::uint64_t max,
                                      std::size_t max_items) {
  std::vector<std::uint64_t> items;
  const auto in_bounds = [&](std::string_view t) {
    if (t.empty()) throw std::invalid_argument(in_quotes(text) + " has an empty item: write 1..6 or 2,3,5");
    const std::uint64_t v = parse_count(t, max);
    if (v < min) throw std::invalid_argument(in_quotes(t) + " is too small: the least is " + std::to_string(min));
    return v;
  };
  if (text.empty()) throw std::invalid_argument("the list is empty");
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const auto dots = item.find("..");
    const std::uint64_t first = in_bounds(item.substr(0, dots));
    const std::uint64_t last = dots == std::string_view::npos ? first : in_bounds(item.substr(dots + 2));
    if (last < first) throw std::invalid_argument(in_quotes(item) + " is an empty range");
    if (last - first >= max_items - std::min(items.size(), max_items))
      throw std::invalid_argument("the list has more than " + std::to_string(max_items) + " items");
    for (std::uint64_t v = first;; ++v) {
      items.push_back(v);
      if (v == last) break;
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

double parse_decimal(std::string_view text, double min, double max) {
  const std::string shown = in_quotes(text), copy(text);
  const auto decimal_char = [](char c) {
    return is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  };
  // strtod alone would take "nan", "inf", "0x10" and leading spaces: only plain decimals pass.
  if (copy.empty() || !std::all_of(copy.begin(), copy.end(), decimal_char))
    throw std::invalid_argument(shown + " is not a number (write 0.05, 2 or 1e-3)");
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size())
    throw std::invalid_argument(shown + " is not a number (write 0.05, 2 or 1e-3)");
  if (!std::isfinite(value) || (errno == ERANGE && value != 0) || value < min || value > max)
    throw std::invalid_argument(shown + " is out of range: give a number from " + bound(min) + " to " + bound(max));
  if (errno == ERANGE) // underflow: "1e-400" is not zero, and no double holds it
    throw std::invalid_argument(shown + " is too small to represent: give 0 or a number from " + bound(min) + " on");
  return value;
}

} // namespace paracon
