// Retry delays: exponential, capped, with "equal jitter" (half fixed, half random) so
// that clients refused together do not all come back together.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/rng.h"
#include "core/time.h"

namespace dsim::locks {

// The delay before retry number `retry` (0 for the first retry).
inline Duration backoff_delay(Rng& rng, int64_t retry, Duration min, Duration max) {
  Duration d = min;
  for (int64_t i = 0; i < retry && d < max; ++i) d = d * 2;
  d = std::min(d, max);
  return Duration{d.ns / 2 + rng.uniform_duration(Duration::zero(), Duration{d.ns / 2}).ns};
}

}  // namespace dsim::locks
