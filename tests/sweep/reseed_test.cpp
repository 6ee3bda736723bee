// A sweep loads its scenario once and reseeds it per seed (scenario.h, reseeded): each
// seed's scenario, and so its run, must be exactly what loading the document under that
// seed gives. Compared for scenarios of every family, with and without random clocks, by
// the run's whole trace (hashed), its summary and the sweep record.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "core/rng.h"
#include "explore/seed_runner.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/json_text.h"

namespace dsim {
namespace {

struct RunOutcome {
  uint64_t trace_hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 over every trace line
  uint64_t lines = 0;
  std::string summary;
};

RunOutcome run_once(const Scenario& s) {
  RunOutcome out;
  RunOptions options;
  options.trace_consumer = [&out](std::string_view line) {
    out.trace_hash = fnv1a64(line, out.trace_hash);
    ++out.lines;
  };
  RunReport report = run_scenario(s, options);
  out.summary = report.summary.dump();
  return out;
}

// The scenario fields that depend on the seed, and the clocks they draw.
void expect_same_seeded_fields(const Scenario& loaded, const Scenario& reseeded_one) {
  EXPECT_EQ(loaded.seed, reseeded_one.seed);
  EXPECT_EQ(loaded.sim.seed, reseeded_one.sim.seed);
  EXPECT_EQ(loaded.hash, reseeded_one.hash);
  EXPECT_EQ(loaded.document, reseeded_one.document);
  ASSERT_EQ(loaded.sim.clocks.size(), reseeded_one.sim.clocks.size());
  for (size_t n = 0; n < loaded.sim.clocks.size(); ++n) {
    for (int64_t t : {int64_t{0}, int64_t{1'000'000'007}, int64_t{86'400'000'000'000}}) {
      EXPECT_EQ(loaded.sim.clocks[n].local_at(Instant{t}).ns,
                reseeded_one.sim.clocks[n].local_at(Instant{t}).ns)
          << "node " << n << " at " << t << " ns";
    }
  }
}

struct Case {
  std::string file;  // under scenarios/
  std::vector<Override> sets;
  uint64_t seeds;    // 1..seeds
};

class ReseedTest : public ::testing::TestWithParam<Case> {};

TEST_P(ReseedTest, EverySeedRunsExactlyAsLoadingUnderThatSeed) {
  const Case& c = GetParam();
  ScenarioLoader loader(protocol_families());
  const std::string path = std::string(DSIM_SOURCE_DIR) + "/scenarios/" + c.file;
  const Scenario base = loader.load_file(path, c.sets, std::nullopt);
  uint64_t distinct_traces = 0;
  uint64_t previous = 0;
  for (uint64_t seed = 1; seed <= c.seeds; ++seed) {
    SCOPED_TRACE(c.file + " seed " + std::to_string(seed));
    const Scenario loaded = loader.load_json(base.document, path, {}, seed);
    const Scenario again = reseeded(base, seed);
    expect_same_seeded_fields(loaded, again);
    const RunOutcome a = run_once(loaded);
    const RunOutcome b = run_once(again);
    EXPECT_EQ(a.lines, b.lines);
    EXPECT_EQ(a.trace_hash, b.trace_hash);
    EXPECT_EQ(a.summary, b.summary);
    distinct_traces += a.trace_hash != previous;
    previous = a.trace_hash;
  }
  EXPECT_EQ(distinct_traces, c.seeds) << "the seeds should give different runs";
}

// Random clocks (no shipped scenario draws them) with one node's clock fixed.
std::vector<Override> random_clocks(const std::string& fixed_node) {
  return {{"clocks.max_offset", "\"40ms\""},
          {"clocks.max_drift_ppm", "300"},
          {"clocks.nodes." + fixed_node + ".offset", "\"-5ms\""},
          {"clocks.nodes." + fixed_node + ".drift_ppm", "-20"}};
}

INSTANTIATE_TEST_SUITE_P(
    Families, ReseedTest,
    ::testing::Values(Case{"2pc/bank-random-faults.json", {}, 5},
                      Case{"2pc/torn-write-random-faults.json", {}, 5},
                      Case{"2pc/coordinator-crash-recovery.json", random_clocks("coord"), 8},
                      Case{"locks/fenced-random-faults.json", {}, 8},
                      Case{"locks/redlock-random-faults.json", random_clocks("client1"), 8},
                      Case{"locks/raft-random-faults.json", {}, 6},
                      Case{"locks/raft-leader-change.json", {}, 6},
                      Case{"ring/partition-flap.json", {}, 3},
                      Case{"ring/rebalance.json", random_clocks("s0"), 3},
                      Case{"heartbeat-random-faults.json", random_clocks("n0"), 12},
                      Case{"phold.json", {}, 3}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name;
      for (char ch : info.param.file) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return name;
    });

// The sweep's own path: SeedRunner's record for a seed equals the record made from a
// fresh load under that seed (what every seed did before reseeding).
TEST(ReseedSweepRecord, RecordsMatchAFreshLoadPerSeed) {
  ScenarioLoader loader(protocol_families());
  const std::string path = std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/fenced-random-faults.json";
  const Scenario base = loader.load_file(path, random_clocks("client1"), std::nullopt);
  explore::SeedRunner runner(loader, base.document, path);
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    std::optional<explore::SweepRecord> record = runner.run(seed, nullptr);
    ASSERT_TRUE(record.has_value());
    const Scenario fresh = loader.load_json(base.document, path, {}, seed);
    RunReport report = run_scenario(fresh, RunOptions{});
    EXPECT_EQ(record->events, report.result.events) << "seed " << seed;
    EXPECT_EQ(record->sim_time_ns, report.result.sim_time.ns) << "seed " << seed;
    EXPECT_EQ(record->failed, !report.result.violations.empty()) << "seed " << seed;
    EXPECT_EQ(record->fault_mix, report.random_kinds_enabled) << "seed " << seed;
    size_t started = 0;
    for (const FaultAction& a : effective_faults(fresh)) started += a.at <= report.result.sim_time;
    size_t counted = 0;
    for (const auto& [kind, n] : record->faults) counted += n;
    EXPECT_EQ(counted, started) << "seed " << seed;
  }
}

}  // namespace
}  // namespace dsim
