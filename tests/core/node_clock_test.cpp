// NodeClock computes local time without a 128-bit division where it can (no drift; a
// product that fits 64 bits): the same results as the plain 128-bit formula, which is
// kept here as the reference, on random clocks, histories and readings, edge values
// included.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "core/node_clock.h"
#include "core/rng.h"

namespace dsim {
namespace {

// The formula NodeClock used before, verbatim: every step in 128 bits.
class ReferenceClock {
 public:
  ReferenceClock(Duration offset, int64_t drift_ppm) : base_local_{offset.ns}, drift_ppm_(drift_ppm) {}
  Instant local_at(Instant global) const {
    __int128 elapsed = static_cast<__int128>(global.ns) - base_global_.ns;
    __int128 scaled = elapsed * drift_ppm_ / 1000000;
    return Instant{time_detail::saturate(base_local_.ns + elapsed + scaled)};
  }
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
  void set_drift(Instant global_now, int64_t drift_ppm) {
    rebase(global_now);
    drift_ppm_ = drift_ppm;
  }

 private:
  void rebase(Instant global_now) {
    base_local_ = local_at(global_now);
    base_global_ = global_now;
  }
  Instant base_global_{0};
  Instant base_local_{0};
  int64_t drift_ppm_ = 0;
};

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// A time or duration: an edge value, a scenario-sized one, or anything at all.
int64_t any_ns(Rng& rng) {
  static const std::vector<int64_t> kEdges = {
      kMin, kMin + 1, -kMaxScenarioDuration.ns, -1000000, -1, 0, 1, 999999, 1000000,
      kMaxScenarioDuration.ns, kMax / 1000000, kMax / 1000000 + 1, kMax / 500000, kMax - 1, kMax};
  switch (rng.uniform(4)) {
    case 0: return kEdges[rng.uniform(kEdges.size())];
    case 1: return rng.uniform_int(-kMaxScenarioDuration.ns, kMaxScenarioDuration.ns);
    case 2: return rng.uniform_int(-1000000000, 1000000000);
    default: return static_cast<int64_t>(rng.next_u64());
  }
}

// A drift the clock accepts (> -1e6 ppm): an edge value, a scenario-sized one, or larger.
int64_t any_drift(Rng& rng) {
  static const std::vector<int64_t> kEdges = {-999999, -500000, -1, 0, 0, 0, 1, 500000, 999999, 1000000};
  switch (rng.uniform(3)) {
    case 0: return kEdges[rng.uniform(kEdges.size())];
    case 1: return rng.uniform_int(-500000, 500000);
    default: return rng.uniform_int(-999999, 100000000);
  }
}

TEST(NodeClock, AgreesWithThe128BitFormulaOnRandomHistories) {
  Rng rng(20261130);
  for (int clock = 0; clock < 20000; ++clock) {
    Duration offset{any_ns(rng)};
    int64_t drift = rng.uniform(2) == 0 ? 0 : any_drift(rng);
    NodeClock fast(offset, drift);
    ReferenceClock reference(offset, drift);
    for (int step = 0; step < 8; ++step) {
      Instant global{any_ns(rng)};
      ASSERT_EQ(fast.local_at(global).ns, reference.local_at(global).ns)
          << "clock " << clock << " step " << step << " global " << global.ns;
      Duration local{any_ns(rng)};
      ASSERT_EQ(fast.global_span_of(local).ns, reference.global_span_of(local).ns)
          << "clock " << clock << " step " << step << " local " << local.ns;
      switch (rng.uniform(3)) {
        case 0: {
          Duration by{any_ns(rng)};
          fast.jump(global, by);
          reference.jump(global, by);
          break;
        }
        case 1: {
          int64_t ppm = any_drift(rng);
          fast.set_drift(global, ppm);
          reference.set_drift(global, ppm);
          break;
        }
        default:
          break;
      }
    }
  }
}

TEST(NodeClock, WithoutDriftLocalTimeIsGlobalTimePlusTheOffset) {
  NodeClock c(Duration::millis(-5), 0);
  EXPECT_EQ(c.local_at(Instant{Duration::seconds(1).ns}).ns, Duration::millis(995).ns);
  EXPECT_EQ(c.global_span_of(Duration::millis(3)).ns, Duration::millis(3).ns);
  EXPECT_EQ(c.global_span_of(Duration{-1}).ns, 0);
  NodeClock late(Duration::max(), 0);
  EXPECT_EQ(late.local_at(Instant::max()), Instant::max());  // saturates, never wraps
}

TEST(NodeClock, DriftScalesElapsedTimeTruncatingTowardZero) {
  NodeClock fast(Duration::zero(), 100);  // 100 ppm fast
  EXPECT_EQ(fast.local_at(Instant{Duration::seconds(1).ns}).ns, 1000100000);
  EXPECT_EQ(fast.local_at(Instant{9999}).ns, 9999);  // 0.9999 ns of drift: truncated
  EXPECT_EQ(fast.local_at(Instant{-9999}).ns, -9999);
  EXPECT_EQ(fast.global_span_of(Duration{1000100000}).ns, 1000000000);
  EXPECT_EQ(fast.global_span_of(Duration{1000100001}).ns, 1000000001);  // rounded up
}

}  // namespace
}  // namespace dsim
