// Ctrl-C stops a run at the next event, not thousands of events later: one event may be
// slow (a ring of millions of points rebuilt at a view change), so the interrupt flag is
// read before every event. The flag is raised here from inside the run, by the progress
// callback (every 65,536 events), so where the run stops is deterministic.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {

TEST(Interrupt, StopsAtTheEventAfterTheFlagIsRaised) {
  ScenarioLoader loader(protocol_families());
  const Scenario s = loader.load_file(
      (std::filesystem::path(DSIM_SOURCE_DIR) / "scenarios/phold.json").string(), {}, std::nullopt);
  std::atomic<bool> interrupt{false};
  uint64_t raised_at = 0;
  RunOptions options;
  options.interrupt = &interrupt;
  options.progress = [&](int64_t /*now_ns*/, uint64_t events) {
    if (events == 0 || interrupt.load()) return;
    raised_at = events;
    interrupt.store(true);
  };
  RunReport report = run_scenario(s, options);
  ASSERT_EQ(raised_at, 65536u) << "the run should outlast the first progress report";
  EXPECT_EQ(report.result.stopped_by, StopReason::kInterrupted);
  EXPECT_EQ(report.exit_code, 130);
  // The progress callback runs just before the event that takes the count to 65,537; the
  // flag is seen before the one after it.
  EXPECT_EQ(report.result.events, raised_at + 1);
}

}  // namespace
}  // namespace dsim
