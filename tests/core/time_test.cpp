#include "core/time.h"

#include <gtest/gtest.h>

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
