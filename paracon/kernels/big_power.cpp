#include "paracon/kernels/big_power.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include <mpfr.h>

#include "paracon/kernels/exact.hpp"

namespace paracon::big_power {
namespace {

// (a * b) mod m61 with a 128-bit product, and base^e mod m61 by square-and-multiply.
std::uint64_t mulmod61(std::uint64_t a, std::uint64_t b) { return static_cast<std::uint64_t>(u128{a} * b % m61); }

std::uint64_t powmod61(std::uint64_t base, std::uint64_t exponent) {
  std::uint64_t result = 1 % m61, square = base % m61;
  for (; exponent != 0; exponent >>= 1) {
    if (exponent & 1) result = mulmod61(result, square);
    square = mulmod61(square, square);
  }
  return result;
}

mpz_class ten_to(std::uint64_t k) {
  mpz_class p;
  mpz_ui_pow_ui(p.get_mpz_t(), 10, k);
  return p;
}

void copy_digits(char (&into)[21], const std::string& digits) {
  std::memset(into, 0, sizeof into);
  std::memcpy(into, digits.data(), std::min<std::size_t>(digits.size(), 20));
}

// The integer part and the leading digits of exponent * log10(base), in 256-bit MPFR.
struct LogFacts {
  std::uint64_t digits;
  std::string first20;
  bool near_boundary; // the leading digits sit within 1e-12 of a rounding boundary
};

LogFacts from_logarithms(std::uint64_t base, std::uint64_t exponent) {
  mpfr_t t, frac, lead;
  mpfr_inits2(256, t, frac, lead, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_ui(t, base, MPFR_RNDN);
  mpfr_log10(t, t, MPFR_RNDN);
  mpfr_mul_ui(t, t, exponent, MPFR_RNDN); // log10(base^exponent)
  mpfr_frac(frac, t, MPFR_RNDN);
  mpfr_floor(t, t);
  const std::uint64_t digits = mpfr_get_ui(t, MPFR_RNDN) + 1;
  const std::uint64_t keep = std::min<std::uint64_t>(digits, 20);
  mpfr_add_ui(lead, frac, keep - 1, MPFR_RNDN);
  mpfr_exp10(lead, lead, MPFR_RNDN); // 10^(frac + keep - 1): the leading `keep` digits, and a fraction
  mpfr_frac(frac, lead, MPFR_RNDN);
  const double fraction = mpfr_get_d(frac, MPFR_RNDN);
  mpz_class first;
  mpfr_get_z(first.get_mpz_t(), lead, MPFR_RNDZ);
  mpfr_clears(t, frac, lead, static_cast<mpfr_ptr>(nullptr));
  return {digits, first.get_str(), fraction < 1e-12 || fraction > 1 - 1e-12};
}

} // namespace

mpz_class power(std::uint64_t base, std::uint64_t exponent) {
  mpz_class value;
  mpz_ui_pow_ui(value.get_mpz_t(), base, exponent);
  return value;
}

Facts read_facts(const mpz_class& value, std::uint64_t base, std::uint64_t exponent) {
  Facts f;
  f.base = base;
  f.exponent = exponent;
  read_facts(value, f);
  return f;
}

void read_facts(const mpz_class& value, Facts& f) {
  f.bits = mpz_sizeinbase(value.get_mpz_t(), 2);
  f.mod_m61 = mpz_fdiv_ui(value.get_mpz_t(), m61);
  // mpz_sizeinbase(10) is exact or one too many. Dividing by 10^(d - 21) leaves a quotient of
  // 21 or 20 digits, which settles the length and gives the leading digits.
  const std::uint64_t estimate = mpz_sizeinbase(value.get_mpz_t(), 10);
  std::string top;
  if (estimate > 21) {
    const mpz_class quotient = value / ten_to(estimate - 21);
    top = quotient.get_str();
    f.digits = estimate - 21 + top.size();
  } else {
    top = value.get_str();
    f.digits = top.size();
  }
  copy_digits(f.first20, top);
  const mpz_class last = value % ten_to(20);
  std::string tail = last.get_str();
  tail.insert(0, std::min<std::uint64_t>(f.digits, 20) - std::min<std::size_t>(tail.size(), 20), '0');
  copy_digits(f.last20, tail);
}

std::string check(const Facts& f) {
  const std::string name = std::to_string(f.base) + "^" + std::to_string(f.exponent);
  if (f.base == 0) return name + ": base 0 is not checked";
  if (f.mod_m61 != powmod61(f.base, f.exponent))
    return name + ": residue mod 2^61-1 is " + std::to_string(f.mod_m61) + ", modular exponentiation says " +
           std::to_string(powmod61(f.base, f.exponent));
  mpz_class last;
  const mpz_class modulus = ten_to(20);
  mpz_powm_ui(last.get_mpz_t(), mpz_class(std::to_string(f.base)).get_mpz_t(), f.exponent, modulus.get_mpz_t());
  std::string tail = last.get_str();
  const std::string shown = f.last20;
  if (tail.size() < shown.size()) tail.insert(0, shown.size() - tail.size(), '0');
  if (tail != shown) return name + ": last digits " + shown + ", mpz_powm says " + tail;
  // Bits: floor(exponent * log2(base)) + 1, where the odd part's bits decide (exact in integers
  // when base is a power of two).
  const int twos = std::countr_zero(f.base);
  const std::uint64_t odd = f.base >> twos;
  const LogFacts logs = from_logarithms(f.base, f.exponent);
  if (odd == 1) {
    if (f.bits != f.exponent * static_cast<std::uint64_t>(twos) + 1) return name + ": wrong bit count";
  } else {
    mpfr_t t;
    mpfr_init2(t, 256);
    mpfr_set_ui(t, f.base, MPFR_RNDN);
    mpfr_log2(t, t, MPFR_RNDN);
    mpfr_mul_ui(t, t, f.exponent, MPFR_RNDN);
    mpfr_floor(t, t);
    const std::uint64_t bits = mpfr_get_ui(t, MPFR_RNDN) + 1;
    mpfr_clear(t);
    if (f.bits != bits) return name + ": " + std::to_string(f.bits) + " bits, logarithms say " + std::to_string(bits);
  }
  if (f.digits != logs.digits)
    return name + ": " + std::to_string(f.digits) + " digits, logarithms say " + std::to_string(logs.digits);
  if (logs.first20 != f.first20 && !logs.near_boundary)
    return name + ": first digits " + std::string(f.first20) + ", logarithms say " + logs.first20;
  return {};
}

double cost(std::uint64_t base, std::uint64_t exponent) {
  const std::uint64_t odd = base == 0 ? 0 : base >> std::countr_zero(base);
  return odd <= 1 ? 0.0 : static_cast<double>(exponent) * std::log2(static_cast<double>(odd));
}

std::uint64_t bytes(std::uint64_t base, std::uint64_t exponent) {
  const double bits = base <= 1 ? 1.0 : static_cast<double>(exponent) * std::log2(static_cast<double>(base)) + 1;
  return static_cast<std::uint64_t>(std::ceil(bits / 8)) + 8;
}

} // namespace paracon::big_power
