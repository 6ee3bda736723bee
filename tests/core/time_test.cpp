#include "core/time.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/duration_text.h"
#include "core/node_clock.h"

namespace dsim {
namespace {

TEST(Duration, ParsesHumanUnits) {
  EXPECT_EQ(parse_duration("150ms")->ns, 150'000'000);
  EXPECT_EQ(parse_duration("2s")->ns, 2'000'000'000);
  EXPECT_EQ(parse_duration("1.5s")->ns, 1'500'000'000);
  EXPECT_EQ(parse_duration("250us")->ns, 250'000);
  EXPECT_EQ(parse_duration("3m")->ns, 180'000'000'000);
  EXPECT_EQ(parse_duration("-500ms")->ns, -500'000'000);
  EXPECT_EQ(parse_duration("42")->ns, 42);
}

TEST(Duration, RejectsGarbage) {
  for (const char* bad : {"", "ms", "1.5", "5 s", "5sec", "1e3ms", "--1s", "1.2.3s"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

// A duration is read exactly or refused: every fraction digit counts, and one that leaves
// a part of a nanosecond is refused, never rounded (core/duration_text.h).
TEST(Duration, ReadsExactlyOrSaysWhyNot) {
  EXPECT_EQ(read_duration_text(".000016667m").value->ns, 1'000'020);
  EXPECT_EQ(read_duration_text("0.00000000005m").value->ns, 3);
  EXPECT_EQ(read_duration_text("0.0000000000025h").value->ns, 9);
  EXPECT_EQ(read_duration_text("1.5000000000000000000000000s").value->ns, 1'500'000'000);
  EXPECT_EQ(read_duration_text("-1.000000001s").value->ns, -1'000'000'001);
  for (const char* inexact : {"0.5ns", "1.0000000001s", "0.0000001ms", "0.00000000001m", "0.00000000000001h",
                              "1.1111111111111111111111h"}) {
    EXPECT_EQ(read_duration_text(inexact).error, DurationTextError::kNotWholeNanoseconds) << inexact;
    EXPECT_FALSE(parse_duration(inexact).has_value()) << inexact;
  }
  EXPECT_EQ(read_duration_text("9223372036854775808").error, DurationTextError::kOutOfRange);
  EXPECT_EQ(read_duration_text("2562048h").error, DurationTextError::kOutOfRange);
  EXPECT_EQ(read_duration_text("1.5").error, DurationTextError::kMalformed);
}

TEST(Duration, FormatsShortestExactForm) {
  EXPECT_EQ(format_duration(Duration::millis(1500)), "1.5s");
  EXPECT_EQ(format_duration(Duration::zero()), "0s");
  EXPECT_EQ(format_duration(Duration::micros(250)), "250us");
  EXPECT_EQ(format_duration(Duration{-2'000'000}), "-2ms");
  EXPECT_EQ(format_duration(Duration{1'000'000'001}), "1.000000001s");
  for (int64_t v : {int64_t{1}, int64_t{999}, int64_t{123456789}, int64_t{-5000000000}}) {
    EXPECT_EQ(parse_duration(format_duration(Duration{v}))->ns, v);
  }
}

}  // namespace
}  // namespace dsim

namespace dsim {
namespace {

// Every sum, difference and product of times saturates instead of wrapping (a wrapped
// instant lands in the past and breaks the event queue's order).
TEST(TimeArithmetic, Saturates) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ((Instant::max() + Duration{1}).ns, kMax);
  EXPECT_EQ((Instant{kMax - 5} + Duration::seconds(1)).ns, kMax);
  EXPECT_EQ((Instant{kMin + 5} - Duration::seconds(1)).ns, kMin);
  EXPECT_EQ((Instant::max() - Instant{-1}).ns, kMax);
  EXPECT_EQ((Duration::max() + Duration::max()).ns, kMax);
  EXPECT_EQ((Duration{kMin} - Duration{1}).ns, kMin);
  EXPECT_EQ((-Duration{kMin}).ns, kMax);
  EXPECT_EQ((Duration::max() * 2).ns, kMax);
  EXPECT_EQ((Duration::max() * -2).ns, kMin);
  EXPECT_EQ((Duration{kMin} / -1).ns, kMax);
  EXPECT_EQ(Duration::seconds(kMax / 10).ns, kMax);
  EXPECT_EQ(Duration::millis(-kMax / 10).ns, kMin);
  Instant t{kMax - 1};
  t += Duration{10};
  EXPECT_EQ(t.ns, kMax);
  Duration d{kMin + 1};
  d -= Duration{10};
  EXPECT_EQ(d.ns, kMin);
  // Ordinary values are exact.
  EXPECT_EQ((Instant{5} + Duration{7}).ns, 12);
  EXPECT_EQ((Duration::millis(3) * 4).ns, 12'000'000);
}

TEST(TimeArithmetic, NodeClockSaturatesNearTheEndOfTime) {
  NodeClock slow(Duration::zero(), -500000);
  EXPECT_EQ(slow.global_span_of(Duration::max()).ns, std::numeric_limits<int64_t>::max());
  NodeClock ahead(kMaxScenarioDuration, 500000);
  EXPECT_EQ(ahead.local_at(Instant::max()).ns, std::numeric_limits<int64_t>::max());
  NodeClock behind(-kMaxScenarioDuration, 0);
  behind.jump(Instant::zero(), Duration{std::numeric_limits<int64_t>::min()});
  EXPECT_EQ(behind.local_at(Instant::zero()).ns, std::numeric_limits<int64_t>::min());
}

}  // namespace
}  // namespace dsim
