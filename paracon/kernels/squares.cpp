#include "paracon/kernels/squares.hpp"

namespace paracon::squares {

std::string line(std::uint64_t x, u128 y) { return std::to_string(x) + " squared is " + to_string(y); }

} // namespace paracon::squares
