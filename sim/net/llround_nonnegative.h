// std::llround for a non-negative double below 2^63, without the library call: a latency
// draw is rounded to whole nanoseconds on every message, and the call was a tenth of the
// draw. x minus its integer part is exact in doubles (below 2^52 the fraction's bits are
// x's own; from 2^52 on x is a whole number), so comparing it with 0.5 rounds halves away
// from zero exactly as llround does.
#pragma once

#include <cstdint>

namespace dsim {

// REQUIRES: 0 <= x < 2^63 (not NaN).
inline int64_t llround_nonnegative(double x) {
  const auto whole = static_cast<int64_t>(x);  // truncates
  return x - static_cast<double>(whole) >= 0.5 ? whole + 1 : whole;
}

}  // namespace dsim
