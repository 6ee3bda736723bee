// A run whose summary nobody reads (RunOptions::summary false: a sweep's seed, shrink's
// judge) builds none and does not make the checks that only measure: its violations,
// events, stop reason and trace must be exactly those of the same run with a summary.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/rng.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim {
namespace {

struct Outcome {
  RunReport report;
  uint64_t trace_hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 over every trace line
  uint64_t lines = 0;
};

Outcome run(const Scenario& s, bool summary) {
  Outcome out;
  RunOptions options;
  options.summary = summary;
  options.trace_consumer = [&out](std::string_view line) {
    out.trace_hash = fnv1a64(line, out.trace_hash);
    ++out.lines;
  };
  out.report = run_scenario(s, options);
  return out;
}

struct Case {
  std::string file;           // under scenarios/
  uint64_t seed;
  std::string measures_only;  // the family's check that only measures ("": none)
};

class SummaryOffTest : public ::testing::TestWithParam<Case> {};

TEST_P(SummaryOffTest, SameRunWithoutSummaryOrMeasuringChecks) {
  const Case& c = GetParam();
  ScenarioLoader loader(protocol_families());
  const Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/" + c.file, {}, c.seed);
  for (const CheckInfo& info : s.family->checks) {
    EXPECT_EQ(info.measures_only, info.name == c.measures_only) << info.name;
  }
  const Outcome with = run(s, true);
  const Outcome without = run(s, false);

  ASSERT_TRUE(with.report.summary.is_object());
  EXPECT_TRUE(with.report.result.metrics.is_object());
  if (!c.measures_only.empty()) EXPECT_TRUE(with.report.result.metrics.contains(c.measures_only));
  EXPECT_TRUE(without.report.summary.is_null());
  EXPECT_TRUE(without.report.result.metrics.is_null());

  EXPECT_EQ(with.report.exit_code, without.report.exit_code);
  EXPECT_EQ(with.report.result.events, without.report.result.events);
  EXPECT_EQ(with.report.result.sim_time.ns, without.report.result.sim_time.ns);
  EXPECT_EQ(with.report.result.stopped_by, without.report.result.stopped_by);
  ASSERT_EQ(with.report.result.violations.size(), without.report.result.violations.size());
  for (size_t i = 0; i < with.report.result.violations.size(); ++i) {
    const Violation& a = with.report.result.violations[i];
    const Violation& b = without.report.result.violations[i];
    EXPECT_EQ(a.check, b.check);
    EXPECT_EQ(a.at.ns, b.at.ns);
    EXPECT_EQ(a.nodes, b.nodes);
    EXPECT_EQ(a.message, b.message);
    EXPECT_EQ(a.details, b.details);
  }
  EXPECT_EQ(with.lines, without.lines);
  EXPECT_EQ(with.trace_hash, without.trace_hash);
}

INSTANTIATE_TEST_SUITE_P(
    Families, SummaryOffTest,
    ::testing::Values(Case{"2pc/bank-random-faults.json", 7, "metrics"},
                      Case{"2pc/decision-before-durable.json", 1, "metrics"},
                      Case{"locks/lease-pause-unfenced.json", 1, "lock_metrics"},
                      Case{"locks/raft-random-faults.json", 3, "lock_metrics"},
                      Case{"ring/partition-flap.json", 1, ""},
                      Case{"heartbeat-random-faults.json", 2, ""},
                      Case{"phold.json", 1, ""}));

// A summary file without a summary is a caller's mistake, refused before anything runs.
TEST(SummaryOff, SummaryFileNeedsSummary) {
  ScenarioLoader loader(protocol_families());
  const Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/phold.json", {}, 1);
  RunOptions options;
  options.summary = false;
  options.summary_path = "-";
  EXPECT_THROW(run_scenario(s, options), std::invalid_argument);
}

}  // namespace
}  // namespace dsim
