// The facts read from a factorial: its trailing zeros exact whether or not the value is N! (the
// fast path confirms Legendre's count; any other value is counted by division), its digits and
// residue; and the check rejects a value one off.
#include <cstdint>
#include <vector>

#include <gmpxx.h>
#include <gtest/gtest.h>

#include "paracon/kernels/factorial.hpp"

namespace fac = paracon::factorial;

TEST(Factorial, FactsOfTheRightValue) {
  for (std::uint64_t n : {0u, 1u, 5u, 24u, 25u, 125u, 1000u, 100003u}) {
    const mpz_class value = fac::gmp_factorial(n);
    const fac::Facts f = fac::read_facts(value, n);
    EXPECT_EQ(f.trailing_zeros, fac::legendre_zeros(n)) << n;
    EXPECT_EQ(f.digits, value.get_str().size()) << n;
    EXPECT_EQ(fac::check(f, value, value), "") << n;
  }
}

TEST(Factorial, TrailingZerosOfOtherValuesAreCounted) {
  // value, the n it claims to be, its trailing zeros
  const struct {
    const char* value;
    std::uint64_t n, zeros;
  } cases[] = {{"30000000", 100, 7},                        // fewer fives than 100! has
               {"1000000000000000000000000000000", 10, 30}, // more fives than 10! has
               {"7", 10, 0},
               {"1024", 10, 0},     // twos only
               {"78125", 10, 0},    // fives only
               {"3628800", 10, 2}}; // 10! itself
  for (const auto& c : cases) EXPECT_EQ(fac::read_facts(mpz_class(c.value), c.n).trailing_zeros, c.zeros) << c.value;
}

TEST(Factorial, IsPrimeAgreesWithTheSieve) {
  const fac::PrimeExponents sieve = fac::prime_exponents(100000); // the odd primes up to 100000
  std::vector<bool> odd_prime(100001, false);
  for (std::uint64_t p : sieve.primes) odd_prime[p] = true;
  for (std::uint64_t n = 0; n <= 100000; ++n) EXPECT_EQ(fac::is_prime(n), n == 2 || odd_prime[n]) << n;
  EXPECT_TRUE(fac::is_prime(18446744073709551557ull)); // the largest 64-bit prime
  EXPECT_FALSE(fac::is_prime(18446744073709551555ull));
  EXPECT_FALSE(fac::is_prime(4294967291ull * 4294967279ull)); // two primes below 2^32
}

TEST(Factorial, CheckRejectsAValueOneOff) {
  const mpz_class value = fac::gmp_factorial(1000) + 1;
  EXPECT_NE(fac::check(fac::read_facts(value, 1000), value), "");
}
