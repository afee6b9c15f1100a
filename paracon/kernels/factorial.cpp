#include "paracon/kernels/factorial.hpp"

#include <algorithm>
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

PrimeExponents prime_exponents(std::uint64_t n) {
  PrimeExponents legendre;
  legendre.n = n;
  for (std::uint64_t q = n / 2; q > 0; q /= 2) legendre.twos += q;
  // The sieve of Eratosthenes over the odd numbers: odd[i] stands for 2i + 1.
  std::vector<bool> composite(n / 2 + 1, false);
  for (std::uint64_t i = 1; 2 * i + 1 <= n; ++i) {
    if (composite[i]) continue;
    const std::uint64_t p = 2 * i + 1;
    legendre.primes.push_back(p);
    std::uint64_t e = 0;
    for (std::uint64_t q = n / p; q > 0; q /= p) e += q;
    legendre.exponents.push_back(e);
    for (u128 multiple = u128{p} * p; multiple <= n; multiple += 2 * p)
      composite[static_cast<std::uint64_t>(multiple / 2)] = true;
  }
  return legendre;
}

namespace {

// The product of primes[begin, end), as a balanced tree.
mpz_class primes_product(const std::vector<std::uint64_t>& primes, std::size_t begin, std::size_t end) {
  if (end - begin <= 16) {
    mpz_class product = 1;
    for (std::size_t i = begin; i < end; ++i) product *= static_cast<unsigned long>(primes[i]);
    return product;
  }
  const std::size_t middle = begin + (end - begin) / 2;
  return primes_product(primes, begin, middle) * primes_product(primes, middle, end);
}

} // namespace

mpz_class share_product(const PrimeExponents& legendre, std::size_t share, std::size_t shares) {
  // by_bit[k]: this share's primes whose exponent has bit k set.
  std::vector<std::vector<std::uint64_t>> by_bit(64);
  std::size_t top = 0;
  // The primes are dealt like cards, back and forth (0, 1, 1, 0, 0, 1, ... for two shares): the
  // small primes, whose powers are the largest, then fall evenly on both sides.
  for (std::size_t i = 0; i < legendre.primes.size(); ++i) {
    const std::size_t round = i / shares, seat = i % shares;
    if ((round % 2 == 0 ? seat : shares - 1 - seat) != share) continue;
    for (std::size_t k = 0, e = legendre.exponents[i]; e != 0; ++k, e >>= 1)
      if (e & 1) {
        by_bit[k].push_back(legendre.primes[i]);
        top = std::max(top, k);
      }
  }
  // Horner over the bits, from the highest: product = (...((P_top)^2 x P_top-1)^2 ...)^2 x P_0,
  // except that the two lowest levels' primes are multiplied together first, as
  // bottom = P_1^2 x P_0, so the huge product meets one larger factor instead of two small ones.
  mpz_class product = 1;
  for (std::size_t k = top + 1; k-- > 2;) {
    product *= product;
    product *= primes_product(by_bit[k], 0, by_bit[k].size());
  }
  mpz_class bottom = primes_product(by_bit[1], 0, by_bit[1].size());
  bottom *= bottom;
  bottom *= primes_product(by_bit[0], 0, by_bit[0].size());
  product *= product;
  product *= product;
  product *= bottom;
  return product;
}

Halves halve(const mpz_class& value) {
  Halves halves;
  halves.shift = mpz_sizeinbase(value.get_mpz_t(), 2) / 2;
  mpz_fdiv_q_2exp(halves.high.get_mpz_t(), value.get_mpz_t(), halves.shift);
  mpz_fdiv_r_2exp(halves.low.get_mpz_t(), value.get_mpz_t(), halves.shift);
  return halves;
}

mpz_class rejoin(const mpz_class& high_product, const mpz_class& low_product, std::uint64_t shift) {
  mpz_class value;
  mpz_mul_2exp(value.get_mpz_t(), high_product.get_mpz_t(), shift);
  value += low_product;
  return value;
}

namespace {

// The exponent of 5 in `value` (not 0). mpz_remove(5) would take several times as long as N!
// itself, so Legendre's count for N! is tried first and confirmed: value = q 5^L with q not a
// multiple of 5 means exactly L. Only a value that is not N! pays for mpz_remove.
std::uint64_t fives(const mpz_class& value, std::uint64_t n) {
  const std::uint64_t guess = legendre_zeros(n);
  mpz_class power, q, r;
  mpz_ui_pow_ui(power.get_mpz_t(), 5, guess);
  mpz_tdiv_qr(q.get_mpz_t(), r.get_mpz_t(), value.get_mpz_t(), power.get_mpz_t());
  if (r == 0 && mpz_fdiv_ui(q.get_mpz_t(), 5) != 0) return guess;
  mpz_class five = 5;
  return mpz_remove(q.get_mpz_t(), value.get_mpz_t(), five.get_mpz_t());
}

} // namespace

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
  f.trailing_zeros = value == 0 ? 0 : std::min<std::uint64_t>(mpz_scan1(value.get_mpz_t(), 0), fives(value, n));
  if (d <= 50) {
    const std::string text = value.get_str();
    std::memcpy(f.value, text.data(), text.size());
  }
  return f;
}

bool is_prime(std::uint64_t n) {
  if (n < 4) return n >= 2;
  if (n % 2 == 0 || n % 3 == 0) return false;
  for (std::uint64_t d = 5; d <= n / d; d += 6)
    if (n % d == 0 || n % (d + 2) == 0) return false;
  return true;
}

std::uint64_t legendre_zeros(std::uint64_t n) {
  std::uint64_t zeros = 0;
  for (u128 five = 5; five <= n; five *= 5) zeros += n / static_cast<std::uint64_t>(five);
  return zeros;
}

mpz_class gmp_factorial(std::uint64_t n) {
  mpz_class gmp;
  mpz_fac_ui(gmp.get_mpz_t(), n);
  return gmp;
}

std::string check(const Facts& f, const mpz_class& value) { return check(f, value, gmp_factorial(f.n)); }

std::string check(const Facts& f, const mpz_class& value, const mpz_class& gmp) {
  const std::string name = std::to_string(f.n) + "!";
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
