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

  // local = base_local + elapsed + elapsed * drift_ppm / 1e6 (the last term truncated
  // toward zero), elapsed = global - base_global, all in exact integers, then clamped: a
  // clock near the end of time saturates, never wraps. Read on every ctx.now(), so the
  // division is done in 64 bits when the product fits (a division by a constant, which the
  // compiler turns into a multiplication), and skipped when the clock does not drift; the
  // result is the same in every case (tests/core/node_clock_test.cpp).
  Instant local_at(Instant global) const {
    int64_t elapsed64 = 0, local64 = 0;
    if (drift_ppm_ == 0 && !__builtin_sub_overflow(global.ns, base_global_.ns, &elapsed64) &&
        !__builtin_add_overflow(base_local_.ns, elapsed64, &local64)) {
      return Instant{local64};  // what the exact sum below gives when nothing saturates
    }
    __int128 elapsed = static_cast<__int128>(global.ns) - base_global_.ns;
    __int128 local = base_local_.ns + elapsed;
    if (drift_ppm_ != 0) local += drift_of(elapsed);
    return Instant{time_detail::saturate(local)};
  }

  // The global span in which this clock advances by `local`: ceil(local * 1e6 / (1e6 +
  // drift_ppm)), at least 0. Without drift that is `local` itself.
  Duration global_span_of(Duration local) const {
    if (local.ns <= 0) return Duration::zero();
    if (drift_ppm_ == 0) return local;
    const int64_t den = 1000000 + drift_ppm_;
    int64_t num64 = 0;
    if (!__builtin_mul_overflow(local.ns, int64_t{1000000}, &num64) &&
        !__builtin_add_overflow(num64, den - 1, &num64)) {
      return Duration{num64 / den};
    }
    __int128 num = static_cast<__int128>(local.ns) * 1000000;
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
  // elapsed * drift_ppm / 1e6, truncated toward zero.
  __int128 drift_of(__int128 elapsed) const {
    int64_t product = 0;
    if (elapsed >= INT64_MIN && elapsed <= INT64_MAX &&
        !__builtin_mul_overflow(static_cast<int64_t>(elapsed), drift_ppm_, &product)) {
      return product / 1000000;
    }
    return elapsed * drift_ppm_ / 1000000;
  }

  void rebase(Instant global_now) {
    base_local_ = local_at(global_now);
    base_global_ = global_now;
  }

  Instant base_global_{0};
  Instant base_local_{0};
  int64_t drift_ppm_ = 0;
};

}  // namespace dsim
