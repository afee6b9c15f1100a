// The factorial of notebook 001 ("Nem todos os loops podem ser paralelos": `fatorial *= x`),
// and the recurrence that really cannot be split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <gmpxx.h>

namespace paracon::factorial {

// The notebook's loop: product *= x for x = begin, ..., end - 1, one small factor at a time.
// Each step multiplies a huge number by a small one: quadratic in all.
mpz_class loop_product(std::uint64_t begin, std::uint64_t end);

// The same product as a balanced tree: the two halves' products, then one multiplication of
// numbers of similar size, where GMP's fast algorithms pay off. Empty ranges give 1.
mpz_class tree_product(std::uint64_t begin, std::uint64_t end);

// n! as its prime factors: n! = 2^twos x the product of p^e over the odd primes p <= n, where
// Legendre's formula gives e = floor(n / p) + floor(n / p^2) + ... (a sieve finds the primes).
struct PrimeExponents {
  std::uint64_t n = 0, twos = 0;
  std::vector<std::uint64_t> primes, exponents; // the odd primes up to n, in order, and their exponents
};
PrimeExponents prime_exponents(std::uint64_t n);

// Whether n is prime, by trial division by 2, 3 and 6k +- 1 up to sqrt(n): for one number at a
// time (the coursework's twin primes), where the sieve is for all of them.
bool is_prime(std::uint64_t n);

// The product of p^e over one share of the odd primes, dealt to `shares` shares back and forth
// like cards (0, 1, 1, 0, 0, 1, ...), so the shares weigh about the same. All of them at once as
// a chain of squarings over the exponents' bits, p^13 = ((p^2 x p)^2)^2 x p, with the primes of
// each bit multiplied as a balanced tree. The shares' product times 2^twos is n!.
mpz_class share_product(const PrimeExponents& legendre, std::size_t share, std::size_t shares);

// A number cut in two, value = high x 2^shift + low: so that a x value can be computed as two
// multiplications, a x high and a x low, by two workers at once, and rejoined:
// rejoin(a x high, a x low, shift) = a x value.
struct Halves {
  mpz_class high, low;
  std::uint64_t shift = 0;
};
Halves halve(const mpz_class& value);
mpz_class rejoin(const mpz_class& high_product, const mpz_class& low_product, std::uint64_t shift);

// Facts about n!, read off the number. Trivially copyable.
struct Facts {
  std::uint64_t n = 0;
  std::uint64_t digits = 0;         // exact decimal length
  std::uint64_t trailing_zeros = 0; // min(exponents of 2 and 5), each read from the value
  std::uint64_t mod_m61 = 0;        // residue modulo 2^61 - 1
  char value[51] = {};              // the number itself when it has at most 50 digits
};
Facts read_facts(const mpz_class& value, std::uint64_t n);

// Checks facts by independent methods: n! from GMP's own mpz_fac_ui must be the same number;
// trailing zeros by Legendre's formula (sum of floor(n / 5^k)); the residue by multiplying
// 1..n modulo 2^61 - 1 in 128-bit arithmetic; the length by MPFR's log-gamma. Returns why
// not, or an empty string.
std::string check(const Facts& facts, const mpz_class& value);
// The same against n! already computed by GMP's own mpz_fac_ui (gmp_factorial): to time it too.
std::string check(const Facts& facts, const mpz_class& value, const mpz_class& gmp);
mpz_class gmp_factorial(std::uint64_t n);

// Legendre's formula: the exponent of 5 in n!, and so its trailing zeros.
std::uint64_t legendre_zeros(std::uint64_t n);

// The recurrence x_{k+1} = f(x_k) = (x_k^2 + 1) mod (2^61 - 1), from x_0 = 2: each step needs
// the one before, so it cannot be divided among workers.
std::uint64_t step(std::uint64_t x);
// x_k after `steps` steps from x0, in order.
std::uint64_t iterate(std::uint64_t x0, std::uint64_t steps);
// The same with GMP arithmetic: the independent check of iterate.
std::uint64_t iterate_gmp(std::uint64_t x0, std::uint64_t steps);

} // namespace paracon::factorial
