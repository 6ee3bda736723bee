// A node's local clock: local = offset + rate x global, piecewise, where the rate is
// 1 + drift_ppm / 1e6. Jumps move the offset (an NTP step, a VM migration, an operator);
// drift changes the rate from now on. Both keep the mapping continuous except at a jump.
//
// Timers are set in local time and measure elapsed local time, like CLOCK_MONOTONIC: a
// drifting clock makes them fire early or late in global time; a jump does not move them.
// `now()` is the wall clock the process reads, and it jumps.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace dsim {

class NodeClock {
 public:
  NodeClock() = default;
  NodeClock(Duration offset, int64_t drift_ppm) : base_local_{offset.ns}, drift_ppm_(drift_ppm) {}

  Instant local_at(Instant global) const {
    // In 128 bits, then clamped: a clock near the end of time saturates, never wraps.
    __int128 elapsed = static_cast<__int128>(global.ns) - base_global_.ns;
    __int128 scaled = elapsed * drift_ppm_ / 1000000;
    return Instant{time_detail::saturate(base_local_.ns + elapsed + scaled)};
  }

  // The global span in which this clock advances by `local` (rounded up, at least 0).
  Duration global_span_of(Duration local) const {
    if (local.ns <= 0) return Duration::zero();
    __int128 num = static_cast<__int128>(local.ns) * 1000000;
    int64_t den = 1000000 + drift_ppm_;
    return Duration{time_detail::saturate((num + den - 1) / den)};
  }

  void jump(Instant global_now, Duration by) {
    rebase(global_now);
    base_local_ += by;
  }

  // REQUIRES: drift_ppm > -1000000 (a clock never runs backwards or stops).
  void set_drift(Instant global_now, int64_t drift_ppm) {
    rebase(global_now);
    drift_ppm_ = drift_ppm;
  }

  int64_t drift_ppm() const { return drift_ppm_; }

 private:
  void rebase(Instant global_now) {
    base_local_ = local_at(global_now);
    base_global_ = global_now;
  }

  Instant base_global_{0};
  Instant base_local_{0};
  int64_t drift_ppm_ = 0;
};

}  // namespace dsim
