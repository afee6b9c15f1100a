// The big-power kernel of notebook 001 (`x**10000000` for x in 1..6 with multiprocess.Pool):
// GMP computes the power; nobody prints a 26-million-bit number, so the programs report facts
// read off it, and check each one by a method that never builds the power.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gmpxx.h>

namespace paracon::big_power {

// 2^61 - 1, a Mersenne prime: the residue modulo it is a cheap fingerprint of a huge number.
inline constexpr std::uint64_t m61 = (std::uint64_t{1} << 61) - 1;

// Facts about base^exponent. Trivially copyable, so MPI can gather it as bytes.
struct Facts {
  std::uint64_t base = 0, exponent = 0;
  std::uint64_t bits = 0, digits = 0; // binary and decimal length
  char first20[21] = {};              // the leading decimal digits (all of them if fewer than 20)
  char last20[21] = {};               // the trailing decimal digits, zero-padded to min(20, digits)
  std::uint64_t mod_m61 = 0;          // the residue modulo 2^61 - 1
  double power_seconds = 0;           // time of mpz_ui_pow_ui alone
  int worker = -1;                    // the thread or rank that computed it
  int thread = -1;                    // hybrid programs: the thread inside that rank
};

// base^exponent, with GMP.
mpz_class power(std::uint64_t base, std::uint64_t exponent);

// The facts, read off the number itself: exact lengths, the last digits by a division by
// 10^20, the first digits by a division by a power of ten with a small quotient.
Facts read_facts(const mpz_class& value, std::uint64_t base, std::uint64_t exponent);
// The same, in place: fills what the number says into `facts` (whose base and exponent name
// it), and keeps the rest (the time it took, who computed it).
void read_facts(const mpz_class& value, Facts& facts);

// Checks the facts without the power: the residues by modular exponentiation (modulo 2^61 - 1
// in 128-bit arithmetic written here; modulo 10^20 with GMP's mpz_powm), the lengths and the
// leading digits by 256-bit MPFR logarithms. Returns why not, or an empty string.
std::string check(const Facts& facts);

// The relative cost of computing base^exponent, for balancing: GMP strips the factors of two
// (a shift), so the work grows with the bits of the odd part.
double cost(std::uint64_t base, std::uint64_t exponent);

// Bytes of base^exponent (its limbs), for the memory check made before any work.
std::uint64_t bytes(std::uint64_t base, std::uint64_t exponent);

} // namespace paracon::big_power
