// Reading a duration written as text ("150ms", "1.5s", "-2m", "42"), saying why a text is
// refused. parse_duration (core/time.h) is this without the reason.
//
// The one rule: a duration is a whole number of nanoseconds, and a text is read exactly or
// not at all. A fraction is allowed in any unit as long as the value it writes is whole in
// nanoseconds ("1.5us", "0.0000166667m" = 1000002ns, "1.25e-7" is not a duration), so no
// digit is ever dropped or rounded: "0.5ns" and "1.0000000001s" are refused, not rounded.
#pragma once

#include <optional>
#include <string_view>

#include "core/time.h"

namespace dsim {

enum class DurationTextError {
  kNone,
  kMalformed,            // not NUMBER[UNIT] at all ("5 s", "1e3ms", "1.5" without a unit)
  kNotWholeNanoseconds,  // well formed, but not a whole number of ns ("0.5ns", "1.0000000001s")
  kOutOfRange,           // beyond the int64 range of nanoseconds (about 292 years)
};

struct DurationText {
  std::optional<Duration> value;  // set exactly when error is kNone
  DurationTextError error = DurationTextError::kNone;
};

// Parses an optional '-', digits with an optional fraction, and a unit (ns, us, µs, ms,
// s, m, h); or bare digits, meaning nanoseconds (no fraction: write a unit).
DurationText read_duration_text(std::string_view text);

}  // namespace dsim
