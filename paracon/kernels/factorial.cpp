#include "paracon/kernels/factorial.hpp"

#include <cstring>

#include <mpfr.h>

#include "paracon/kernels/big_power.hpp"
#include "paracon/kernels/exact.hpp"

namespace paracon::factorial {
namespace {

using big_power::m61;

std::uint64_t mulmod61(std::uint64_t a, std::uint64_t b) { return static_cast<std::uint64_t>(u128{a} * b % m61); }

} // namespace

mpz_class loop_product(std::uint64_t begin, std::uint64_t end) {
  mpz_class product = 1;
  for (std::uint64_t x = begin; x < end; ++x) product *= static_cast<unsigned long>(x);
  return product;
}

mpz_class tree_product(std::uint64_t begin, std::uint64_t end) {
  if (end <= begin) return 1;
  if (end - begin <= 16) return loop_product(begin, end); // small: the loop is cheapest
  const std::uint64_t middle = begin + (end - begin) / 2;
  return tree_product(begin, middle) * tree_product(middle, end);
}

Facts read_facts(const mpz_class& value, std::uint64_t n) {
  Facts f;
  f.n = n;
  f.mod_m61 = mpz_fdiv_ui(value.get_mpz_t(), m61);
  // mpz_sizeinbase(10) is exact or one too many: compare with 10^(d-1) to know which.
  std::uint64_t d = mpz_sizeinbase(value.get_mpz_t(), 10);
  if (d > 1) {
    mpz_class ten;
    mpz_ui_pow_ui(ten.get_mpz_t(), 10, d - 1);
    if (value < ten) --d;
  }
  f.digits = d;
  mpz_class rest;
  mpz_class ten = 10;
  f.trailing_zeros = value == 0 ? 0 : mpz_remove(rest.get_mpz_t(), value.get_mpz_t(), ten.get_mpz_t());
  if (d <= 50) {
    const std::string text = value.get_str();
    std::memcpy(f.value, text.data(), text.size());
  }
  return f;
}

std::uint64_t legendre_zeros(std::uint64_t n) {
  std::uint64_t zeros = 0;
  for (u128 five = 5; five <= n; five *= 5) zeros += n / static_cast<std::uint64_t>(five);
  return zeros;
}

std::string check(const Facts& f, const mpz_class& value) {
  const std::string name = std::to_string(f.n) + "!";
  mpz_class gmp;
  mpz_fac_ui(gmp.get_mpz_t(), f.n);
  if (gmp != value) return name + " differs from GMP's mpz_fac_ui";
  if (f.trailing_zeros != legendre_zeros(f.n))
    return name + ": " + std::to_string(f.trailing_zeros) + " trailing zeros, Legendre's formula says " +
           std::to_string(legendre_zeros(f.n));
  std::uint64_t residue = 1;
  for (std::uint64_t x = 2; x <= f.n; ++x) residue = mulmod61(residue, x % m61);
  if (f.mod_m61 != residue) return name + ": wrong residue mod 2^61-1";
  // log10(n!) = lgamma(n + 1) / ln(10); the length is its floor plus one.
  mpfr_t t, ln10;
  mpfr_inits2(256, t, ln10, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_ui(t, f.n + 1, MPFR_RNDN);
  mpfr_lngamma(t, t, MPFR_RNDN);
  mpfr_set_ui(ln10, 10, MPFR_RNDN);
  mpfr_log(ln10, ln10, MPFR_RNDN);
  mpfr_div(t, t, ln10, MPFR_RNDN);
  mpfr_floor(t, t);
  const std::uint64_t digits = mpfr_get_ui(t, MPFR_RNDN) + 1;
  mpfr_clears(t, ln10, static_cast<mpfr_ptr>(nullptr));
  if (f.digits != digits)
    return name + ": " + std::to_string(f.digits) + " digits, log-gamma says " + std::to_string(digits);
  return {};
}

std::uint64_t step(std::uint64_t x) { return static_cast<std::uint64_t>((u128{x} * x + 1) % m61); }

std::uint64_t iterate(std::uint64_t x0, std::uint64_t steps) {
  std::uint64_t x = x0;
  for (std::uint64_t k = 0; k < steps; ++k) x = step(x);
  return x;
}

std::uint64_t iterate_gmp(std::uint64_t x0, std::uint64_t steps) {
  mpz_class x = static_cast<unsigned long>(x0), modulus = static_cast<unsigned long>(m61);
  for (std::uint64_t k = 0; k < steps; ++k) {
    x = x * x + 1;
    mpz_mod(x.get_mpz_t(), x.get_mpz_t(), modulus.get_mpz_t());
  }
  return mpz_get_ui(x.get_mpz_t());
}

} // namespace paracon::factorial
