// The sweep engine: records independent of the number of jobs and of sharding, fail-fast
// stopping at the same place whatever the jobs, every failing seed replaying exactly, and
// the records' coverage fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "explore/sweep_report.h"
#include "explore/sweep_runner.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "sweep_test_util.h"

namespace dsim::explore {
namespace {

using namespace testing;

const SeedRange kSeeds{1, 40};

class SweepRunnerTest : public ::testing::Test {
 protected:
  SweepRunnerTest() : loader_(protocol_families()) {}

  std::vector<SweepRecord> sweep(const std::string& file, SeedRange range, Shard shard,
                                 unsigned jobs, uint64_t stop_after_failures = 0) {
    Scenario s = loader_.load_file(file, {}, std::nullopt);
    SeedRunner runner(loader_, s.document, file);
    SeedSequence seeds(range, shard);
    SweepOptions options;
    options.jobs = jobs;
    options.stop_after_failures = stop_after_failures;
    options.window_per_job = 2;  // small, so the window's back-pressure is exercised
    std::vector<SweepRecord> out;
    run_sweep(runner, seeds, options,
              [&](const SweepRecord& r) {
                out.push_back(r);
                return true;
              },
              [] {});
    return out;
  }

  static std::vector<std::string> without_wall_time(const std::vector<SweepRecord>& records) {
    std::vector<std::string> out;
    for (const SweepRecord& r : records) {
      Json j = to_json(r);
      j.erase("wall_us");
      out.push_back(j.dump());
    }
    return out;
  }

  ScenarioLoader loader_;
};

TEST_F(SweepRunnerTest, RecordsAreTheSameWhateverTheNumberOfJobs) {
  std::vector<SweepRecord> one = sweep(kTight, kSeeds, Shard{}, 1);
  std::vector<SweepRecord> three = sweep(kTight, kSeeds, Shard{}, 3);
  ASSERT_EQ(one.size(), 40u);
  EXPECT_EQ(without_wall_time(one), without_wall_time(three));
  for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].seed, kSeeds.first + i);
  // The scenario is meant to fail on some seeds and pass on others.
  size_t failed = std::count_if(one.begin(), one.end(), [](const SweepRecord& r) { return r.failed; });
  EXPECT_GT(failed, 0u);
  EXPECT_LT(failed, one.size());
}

TEST_F(SweepRunnerTest, ShardsTogetherGiveTheWholeSweep) {
  std::vector<std::string> whole = without_wall_time(sweep(kTight, kSeeds, Shard{}, 2));
  std::vector<SweepRecord> parts;
  for (uint64_t i = 0; i < 3; ++i) {
    std::vector<SweepRecord> shard = sweep(kTight, kSeeds, Shard{i, 3}, 2);
    for (const SweepRecord& r : shard) EXPECT_EQ(r.seed % 3, i);
    parts.insert(parts.end(), shard.begin(), shard.end());
  }
  std::sort(parts.begin(), parts.end(),
            [](const SweepRecord& a, const SweepRecord& b) { return a.seed < b.seed; });
  EXPECT_EQ(without_wall_time(parts), whole);
}

TEST_F(SweepRunnerTest, FailFastStopsAtTheSameSeedWhateverTheJobs) {
  std::vector<SweepRecord> one = sweep(kTight, kSeeds, Shard{}, 1, 2);
  std::vector<SweepRecord> four = sweep(kTight, kSeeds, Shard{}, 4, 2);
  EXPECT_EQ(without_wall_time(one), without_wall_time(four));
  ASSERT_FALSE(one.empty());
  EXPECT_TRUE(one.back().failed);
  EXPECT_EQ(std::count_if(one.begin(), one.end(), [](const SweepRecord& r) { return r.failed; }), 2);
  // A prefix of the full sweep.
  std::vector<std::string> full = without_wall_time(sweep(kTight, kSeeds, Shard{}, 2));
  std::vector<std::string> prefix = without_wall_time(one);
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), full.begin()));
}

// A seed refused as bad input while it runs (its simulated time stood still) stops the
// sweep, after the records of every seed before it, whatever the jobs: the workers' seeds
// drawn before it are still delivered (they were lost at random when the error stopped
// the sweep at once, even with one job).
TEST_F(SweepRunnerTest, ARefusedSeedStopsTheSweepAfterEverySeedBeforeIt) {
  const std::string file = std::string(DSIM_SOURCE_DIR) + "/scenarios/phold.json";
  // Latencies of 0 or 1 ns and a tiny instant limit: seed 5 stands still, 2-4 do not.
  Scenario s = loader_.load_file(
      file,
      {{"nodes", "2"},
       {"protocol.tokens_per_node", "1"},
       {"network.latency", R"({"dist":"uniform","min":"0ns","max":"1ns"})"},
       {"limits.max_events_per_instant", "12"},
       {"duration", "\"1us\""}},
      std::nullopt);
  for (unsigned jobs : {1u, 3u}) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      SeedRunner runner(loader_, s.document, file);
      SeedSequence seeds(SeedRange{2, 8}, Shard{});
      SweepOptions options;
      options.jobs = jobs;
      std::vector<uint64_t> delivered;
      bool refused = false;
      try {
        run_sweep(runner, seeds, options,
                  [&](const SweepRecord& r) {
                    delivered.push_back(r.seed);
                    return true;
                  },
                  [] {});
      } catch (const ScenarioError& e) {
        refused = true;
        EXPECT_NE(std::string(e.what()).find("(seed 5)"), std::string::npos) << e.what();
      }
      EXPECT_TRUE(refused) << "jobs " << jobs;
      EXPECT_EQ(delivered, (std::vector<uint64_t>{2, 3, 4})) << "jobs " << jobs;
    }
  }
}

TEST_F(SweepRunnerTest, EveryFailingSeedReplaysToTheSameViolation) {
  size_t replayed = 0;
  for (const SweepRecord& r : sweep(kTight, kSeeds, Shard{}, 2)) {
    if (!r.failed) continue;
    RunReport again = run_scenario(loader_.load_file(kTight, {}, r.seed), RunOptions{});
    ASSERT_FALSE(again.result.violations.empty()) << "seed " << r.seed;
    const Violation& v = again.result.violations.front();
    EXPECT_EQ(v.check, r.check) << "seed " << r.seed;
    EXPECT_EQ(v.at.ns, r.at_ns) << "seed " << r.seed;
    EXPECT_EQ(v.nodes, r.nodes) << "seed " << r.seed;
    EXPECT_EQ(again.result.events, r.events) << "seed " << r.seed;
    ++replayed;
  }
  EXPECT_GT(replayed, 0u);
}

TEST_F(SweepRunnerTest, RecordsCarryTheFaultMixAndCoverage) {
  std::string file = std::string(DSIM_SOURCE_DIR) + "/scenarios/heartbeat-random-faults.json";
  std::set<std::string> mixes;
  for (const SweepRecord& r : sweep(file, {1, 12}, Shard{}, 2)) {
    ASSERT_FALSE(r.fault_mix.empty()) << "swarm enables at least one kind";
    std::string mix;
    for (const std::string& k : r.fault_mix) mix += k + ",";
    mixes.insert(mix);
    for (const auto& [kind, n] : r.faults) {
      EXPECT_NE(std::find(r.fault_mix.begin(), r.fault_mix.end(), kind), r.fault_mix.end())
          << "seed " << r.seed << " started " << kind << " without enabling it";
      EXPECT_GT(n, 0u);
    }
    EXPECT_GT(r.proto_events.count("suspect") + r.proto_events.count("trust"), 0u);
    EXPECT_EQ(r.checks, std::vector<std::string>{"settled_view"});
    EXPECT_EQ(r.replay, "dsim run " + file + " --seed " + std::to_string(r.seed));
    EXPECT_EQ(r.scenario, "heartbeat-random-faults");
  }
  EXPECT_GT(mixes.size(), 6u) << "swarm testing gives seeds different fault mixes";
}

TEST_F(SweepRunnerTest, InNodeFaultKindsShowInCoverageOnlyWhereAsked) {
  // Named in the nemesis: counted like every other kind, and missed when never started.
  std::string file = std::string(DSIM_SOURCE_DIR) + "/tests/sweep/data/heartbeat-in-node-faults.json";
  SweepReport report(offered_checks_of(protocol_families()));
  for (const SweepRecord& r : sweep(file, {1, 20}, Shard{}, 2)) EXPECT_TRUE(report.add(r, "a"));
  const Json j = report.to_json();
  const Json& coverage = j["scenarios"][0]["coverage"];
  for (const char* kind : {"stall", "disk_fail", "disk_slow"}) {
    EXPECT_GT(coverage["fault_kinds"][kind]["runs_enabled"].get<uint64_t>(), 0u) << kind;
    EXPECT_GT(coverage["fault_kinds"][kind]["runs"].get<uint64_t>(), 0u) << kind;
    EXPECT_GT(coverage["fault_kinds"][kind]["total"].get<uint64_t>(), 0u) << kind;
  }
  // Not named (the default kinds): not listed as never started either.
  SweepReport tight(offered_checks_of(protocol_families()));
  for (const SweepRecord& r : sweep(kTight, {1, 5}, Shard{}, 2)) tight.add(r, "a");
  const Json t = tight.to_json();
  const Json& never = t["scenarios"][0]["coverage"]["fault_kinds_never_started"];
  EXPECT_FALSE(never.empty());  // the default kinds some of these seeds never started
  for (const char* kind : {"stall", "disk_fail", "disk_slow"}) {
    EXPECT_EQ(std::count(never.begin(), never.end(), Json(kind)), 0) << kind;
  }
}

TEST_F(SweepRunnerTest, ReportGroupsFailuresAndCountsCoverage) {
  std::vector<SweepRecord> records = sweep(kTight, kSeeds, Shard{}, 2);
  SweepReport report(offered_checks_of(protocol_families()));
  for (const SweepRecord& r : records) EXPECT_TRUE(report.add(r, "a"));
  EXPECT_FALSE(report.add(records[0], "b"));  // a duplicate, counted once
  Json j = report.to_json();
  size_t failed = std::count_if(records.begin(), records.end(), [](const SweepRecord& r) { return r.failed; });
  EXPECT_EQ(j["records"], 40);
  EXPECT_EQ(j["duplicates"], 1);
  EXPECT_TRUE(j["conflicts"].empty());
  const Json& s = j["scenarios"][0];
  EXPECT_EQ(s["failed"], failed);
  EXPECT_EQ(s["failures_by_check"][0]["check"], "settled_view");
  EXPECT_EQ(s["failures_by_check"][0]["count"], failed);
  EXPECT_EQ(s["coverage"]["checks"]["settled_view"]["runs"], 40);
  EXPECT_EQ(s["coverage"]["checks"]["settled_view"]["failed"], failed);
  EXPECT_TRUE(s["coverage"]["checks_never_run"].empty());
  uint64_t crash_runs = 0;
  for (const SweepRecord& r : records) crash_runs += r.faults.count("crash");
  EXPECT_EQ(s["coverage"]["fault_kinds"]["crash"]["runs"], crash_runs);
  EXPECT_EQ(s["coverage"]["proto_events"]["suspect"]["runs"], 40);

  SweepRecord liar = records[1];
  liar.events += 1;
  EXPECT_FALSE(report.add(liar, "c"));
  ASSERT_EQ(report.conflicts().size(), 1u);
  EXPECT_EQ(report.conflicts()[0].seed, liar.seed);
  EXPECT_EQ(report.conflicts()[0].other_source, "c");
}

}  // namespace
}  // namespace dsim::explore
