// `dsim check-determinism` and the trace comparison behind it.
#include <gtest/gtest.h>

#include "explore/trace_diff.h"
#include "sweep_test_util.h"

namespace dsim::explore {
namespace {

using namespace testing;

TEST(Determinism, ShippedScenariosGiveIdenticalTracesTwice) {
  fs::path keep = test_dir() / "kept";
  EXPECT_EQ(dsim("check-determinism " + std::string(DSIM_SOURCE_DIR) +
                 "/scenarios/heartbeat-random-faults.json --seed 11 --keep " + keep.string()),
            0);
  EXPECT_TRUE(fs::exists(keep / "first.trace.jsonl"));
  EXPECT_EQ(read_text(keep / "first.trace.jsonl"), read_text(keep / "second.trace.jsonl"));
  EXPECT_EQ(dsim("check-determinism " + std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json"), 0);
  EXPECT_EQ(dsim("check-determinism " + kTight + " --seed 3"), 0);
  EXPECT_EQ(dsim("check-determinism " + (test_dir() / "missing.json").string()), 2);
}

TEST(Determinism, TraceDiffNamesTheFirstDifferingLine) {
  fs::path dir = test_dir();
  write_text(dir / "a", "{\"ev\":\"header\"}\n{\"t_ns\":1}\n{\"t_ns\":2,\"x\":1}\n{\"t_ns\":3}\n");
  write_text(dir / "b", "{\"ev\":\"header\"}\n{\"t_ns\":1}\n{\"t_ns\":2,\"x\":2}\n{\"t_ns\":3}\n");
  write_text(dir / "c", "{\"ev\":\"header\"}\n{\"t_ns\":1}\n");
  TraceDiff d;
  std::string error;
  ASSERT_TRUE(diff_trace_files((dir / "a").string(), (dir / "b").string(), d, error)) << error;
  EXPECT_FALSE(d.identical);
  EXPECT_EQ(d.line, 3u);
  EXPECT_EQ(d.first, "{\"t_ns\":2,\"x\":1}");
  EXPECT_EQ(d.second, "{\"t_ns\":2,\"x\":2}");
  ASSERT_TRUE(diff_trace_files((dir / "a").string(), (dir / "c").string(), d, error));
  EXPECT_EQ(d.line, 3u);
  EXPECT_EQ(d.second, "");
  ASSERT_TRUE(diff_trace_files((dir / "a").string(), (dir / "a").string(), d, error));
  EXPECT_TRUE(d.identical);
  EXPECT_EQ(d.lines_compared, 4u);
  EXPECT_FALSE(diff_trace_files((dir / "a").string(), (dir / "zz").string(), d, error));
}

}  // namespace
}  // namespace dsim::explore
