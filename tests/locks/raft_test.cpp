// The Raft lock service (variant "raft"): the safety checker fed hand-written histories
// that break each of Raft's four properties (and a clean one), the shipped scenarios
// ending as their expect blocks say, and the random-fault scenario over many seeds.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/checks/raft_safety_check.h"
#include "protocols/locks/raft/raft_events.h"
#include "protocols/locks/raft/raft_messages.h"
#include "protocols/locks/raft/raft_server.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/scenario.h"
#include "scenario_run.h"
#include "support/fake_checker_view.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeCheckerView;
using testing::run;
using testing::test_cluster;
namespace rev = raft::events;

// A clean history of three servers: lock1 leads term 1 and replicates two entries,
// commits and applies them; lock2 leads term 2 with both.
void clean_history(FakeCheckerView& v, RaftSafetyCheck& c) {
  v.feed(c, 1, "lock1", rev::BecameLeader{1, 0, 0});
  for (const char* n : {"lock1", "lock2", "lock3"}) {
    v.feed(c, 2, n, rev::Appended{1, 1, 0, 11});
    v.feed(c, 3, n, rev::Appended{2, 1, 1, 22});
  }
  v.feed(c, 4, "lock1", rev::Committed{1, 2, 1});
  v.feed(c, 4, "lock1", rev::Applied{1, 1, 11});
  v.feed(c, 4, "lock1", rev::Applied{2, 1, 22});
  v.feed(c, 5, "lock2", rev::Applied{1, 1, 11});
  v.fault(c, 6, "lock1", "crash");
  v.feed(c, 7, "lock2", rev::BecameLeader{2, 2, 1});
  v.feed(c, 8, "lock2", rev::Appended{3, 2, 1, 33});
}

TEST(RaftSafetyCheck, CleanHistoryPasses) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  clean_history(v, c);
  EXPECT_TRUE(v.violations.empty());
  Json m = Json::object();
  c.write_metrics(m);
  EXPECT_EQ(m["leaders_elected"], 2);
  EXPECT_EQ(m["highest_commit"], 2);
}

TEST(RaftSafetyCheck, TwoLeadersInOneTermBreakElectionSafety) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::BecameLeader{3, 0, 0});
  v.feed(c, 2, "lock2", rev::BecameLeader{3, 0, 0});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].check, "raft_safety");
  EXPECT_EQ(v.violations[0].details["property"], "election_safety");
  EXPECT_EQ(v.violations[0].nodes, (std::vector<std::string>{"lock1", "lock2"}));
}

TEST(RaftSafetyCheck, SameIndexAndTermWithDifferentCommandsBreakLogMatching) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::Appended{1, 1, 0, 11});
  v.feed(c, 2, "lock2", rev::Appended{1, 1, 0, 99});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "log_matching");
}

TEST(RaftSafetyCheck, SameIndexAndTermAfterDifferentTermsBreakLogMatching) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::Appended{5, 3, 2, 11});
  v.feed(c, 2, "lock2", rev::Appended{5, 3, 1, 11});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "log_matching");
}

TEST(RaftSafetyCheck, LeaderWithoutACommittedEntryBreaksLeaderCompleteness) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::BecameLeader{1, 0, 0});
  v.feed(c, 2, "lock1", rev::Appended{1, 1, 0, 11});
  v.feed(c, 2, "lock2", rev::Appended{1, 1, 0, 11});
  v.feed(c, 3, "lock1", rev::Committed{1, 1, 1});
  v.feed(c, 4, "lock3", rev::BecameLeader{2, 0, 0});  // its log is empty
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "leader_completeness");
  EXPECT_EQ(v.violations[0].nodes, (std::vector<std::string>{"lock3"}));
}

TEST(RaftSafetyCheck, ACommitMissingFromALaterLeaderInOfficeBreaksLeaderCompleteness) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::Appended{1, 1, 0, 11});
  v.feed(c, 1, "lock2", rev::Appended{1, 1, 0, 11});
  v.feed(c, 2, "lock3", rev::BecameLeader{2, 0, 0});
  EXPECT_TRUE(v.violations.empty());
  v.feed(c, 3, "lock1", rev::Committed{1, 1, 1});  // the old leader commits afterwards
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "leader_completeness");
}

TEST(RaftSafetyCheck, DifferentEntriesAppliedAtOneIndexBreakStateMachineSafety) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock1", rev::Applied{4, 2, 11});
  v.feed(c, 2, "lock2", rev::Applied{4, 3, 12});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "state_machine_safety");
  EXPECT_EQ(v.violations[0].nodes, (std::vector<std::string>{"lock1", "lock2"}));
}

TEST(RaftSafetyCheck, ARestartedServersShorterLogIsWhatItRecovered) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView v(cluster);
  RaftSafetyCheck c;
  v.feed(c, 1, "lock3", rev::Appended{1, 1, 0, 11});
  v.feed(c, 1, "lock3", rev::Appended{2, 1, 1, 22});
  v.feed(c, 2, "lock1", rev::Committed{1, 2, 1});
  v.fault(c, 3, "lock3", "crash");
  v.feed(c, 4, "lock3", rev::Restored{1, 1, 1});  // lost the unsynced second entry
  v.feed(c, 5, "lock3", rev::BecameLeader{2, 1, 1});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details["property"], "leader_completeness");
}

// ---- The scenarios.

TEST(RaftScenarios, StaleLeaderAnsweringFromItsOwnStateBreaksExclusion) {
  RunReport r = run("raft-stale-leader.json");
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.result.violations.size(), 1u);
  EXPECT_EQ(r.result.violations[0].check, "exclusion");
  EXPECT_EQ(r.result.violations[0].nodes, (std::vector<std::string>{"c1", "c2", "resource"}));
}

TEST(RaftScenarios, LeaderChecksKeepTheCutOffLeaderQuiet) {
  RunReport r = run("raft-stale-leader-fixed.json");
  EXPECT_EQ(r.exit_code, 0) << r.summary["violations"].dump(2);
}

TEST(RaftScenarios, LeaderChangesDuringHoldsPassWithFencing) {
  RunReport r = run("raft-leader-change.json");
  EXPECT_EQ(r.exit_code, 0) << r.summary["violations"].dump(2);
  const Json& raft = r.summary["metrics"]["raft_safety"];
  EXPECT_GE(raft["leaders_elected"].get<int64_t>(), 5);
  EXPECT_GE(r.summary["metrics"]["lock_metrics"]["acquisitions"].get<int64_t>(), 20);
  // c3, paused in its hold, writes on waking: fencing turns it away.
  EXPECT_GE(r.summary["metrics"]["exclusion"]["stale_writes_rejected"].get<int64_t>(), 1);
}

TEST(RaftScenarios, LeaderChangesDuringHoldsBreakExclusionWithoutFencing) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/raft-leader-change.json",
                                {{"protocol.fencing", "false"}}, std::nullopt);
  RunReport r = run_scenario(s, RunOptions{});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_FALSE(r.result.violations.empty());
  EXPECT_EQ(r.result.violations[0].check, "exclusion");
}

// One configured scenario run twice gives the same trace: the servers' shared record of
// which log indices were applied belongs to one run (ProtocolRun::begin_run resets it).
// Before the reset, the second run's servers took every entry as applied already and
// their trace differed from the first line of an apply on.
TEST(RaftScenarios, OneConfiguredScenarioRunTwiceGivesTheSameTrace) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/raft-leader-change.json",
                                {}, std::nullopt);
  auto trace_of = [&s] {
    std::string lines;
    RunOptions options;
    options.trace_consumer = [&lines](std::string_view line) { lines += line; };
    RunReport r = run_scenario(s, options);
    EXPECT_EQ(r.exit_code, 0) << r.summary["violations"].dump(2);
    return lines;
  };
  const std::string first = trace_of();
  ASSERT_NE(first.find("raft_apply"), std::string::npos);
  EXPECT_EQ(trace_of(), first);
}

// The whole 1..1000 sweep is a manual command (see the README); ctest covers 1..200.
TEST(RaftScenarios, RandomFaultsHoldForSeeds1To200) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RunReport r = run("raft-random-faults.json", {}, seed);
    ASSERT_EQ(r.exit_code, 0) << "seed " << seed << ": " << r.summary["violations"].dump(2);
  }
}

// Disk faults (failing, hanging, slow), stalls, partial loss of unsynced writes and torn
// appends on top of the random faults; 1..1000 by hand.
TEST(RaftScenarios, DiskFaultsHoldForSeeds1To100) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    RunReport r = run("raft-disk-faults.json", {}, seed);
    ASSERT_EQ(r.exit_code, 0) << "seed " << seed << ": " << r.summary["violations"].dump(2);
  }
}

TEST(RaftScenarios, ConsulLockDelayHoldsAfterTheHolderDies) {
  RunReport r = run("raft-consul-lock-delay.json");
  EXPECT_EQ(r.exit_code, 0) << r.summary["violations"].dump(2);
  EXPECT_GE(r.summary["metrics"]["lock_metrics"]["acquisitions"].get<int64_t>(), 4);
}

// Consul's session and lock-delay recipe on the same random faults (1..1000 by hand).
TEST(RaftScenarios, ConsulRecipeHoldsUnderRandomAndDiskFaults) {
  for (const char* file : {"raft-random-faults.json", "raft-disk-faults.json"}) {
    for (uint64_t seed = 1; seed <= 50; ++seed) {
      ScenarioLoader loader(protocol_families());
      Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/" + file,
                                    {{"protocol.recipe", "consul_session"}, {"protocol.lock_delay", "1s"}}, seed);
      RunReport r = run_scenario(s, RunOptions{});
      ASSERT_EQ(r.exit_code, 0) << file << " seed " << seed << ": " << r.summary["violations"].dump(2);
    }
  }
}

}  // namespace
}  // namespace dsim::locks

// ---- One Raft server, driven by hand (fake context; lock1..lock3 are the group).
namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;

class FailingDisk final : public DiskController {
 public:
  bool write_fails() override { return fail_writes; }
  bool read_fails() override { return false; }
  DiskStatus begin_sync(uint64_t) override { return fail_syncs ? DiskStatus::kIoError : DiskStatus::kOk; }
  bool fail_writes = false;
  bool fail_syncs = false;
};

const raft::VoteReply* vote_reply(FakeContext& ctx) {
  for (const dsim::testing::Sent& s : ctx.sent) {
    if (const auto* v = s.message.as<raft::VoteReply>()) return v;
  }
  return nullptr;
}

TEST(RaftServer, AVoteSurvivesARestartAndIsNotGivenTwice) {
  Cluster cluster = test_cluster(3);
  ServiceSettings s;
  s.service = LockService::kRaft;
  raft::FirstApplied applied;
  auto disk = std::make_shared<DurableStore>();
  {
    FakeContext ctx(cluster, "lock2", 0, disk);
    raft::RaftServer server(s, &applied);
    server.on_start(ctx);
    server.on_message(ctx, *cluster.find("lock1"), Message(raft::RequestVote{1, 0, 0}));
    ASSERT_NE(vote_reply(ctx), nullptr);
    EXPECT_TRUE(vote_reply(ctx)->granted);
  }
  disk->crash();  // only what was synced survives; the vote was
  FakeContext ctx(cluster, "lock2", 1, disk);
  raft::RaftServer server(s, &applied);
  server.on_start(ctx);
  EXPECT_EQ(server.term(), 1);
  server.on_message(ctx, *cluster.find("lock3"), Message(raft::RequestVote{1, 0, 0}));
  ASSERT_NE(vote_reply(ctx), nullptr);
  EXPECT_FALSE(vote_reply(ctx)->granted);
}

TEST(RaftServer, NoVoteWhileTheDiskCannotSyncIt) {
  Cluster cluster = test_cluster(3);
  ServiceSettings s;
  s.service = LockService::kRaft;
  raft::FirstApplied applied;
  FailingDisk controller;
  controller.fail_syncs = true;
  auto disk = std::make_shared<DurableStore>();
  disk->set_controller(&controller);
  FakeContext ctx(cluster, "lock2", 0, disk);
  raft::RaftServer server(s, &applied);
  server.on_start(ctx);
  server.on_message(ctx, *cluster.find("lock1"), Message(raft::RequestVote{1, 0, 0}));
  ASSERT_NE(vote_reply(ctx), nullptr);
  EXPECT_FALSE(vote_reply(ctx)->granted);
  disk->set_controller(nullptr);
}

TEST(RaftServer, ACandidateWithMajorityBecomesLeaderAndAppendsANoop) {
  Cluster cluster = test_cluster(3);
  ServiceSettings s;
  s.service = LockService::kRaft;
  raft::FirstApplied applied;
  FakeContext ctx(cluster, "lock1", 0);
  raft::RaftServer server(s, &applied);
  server.on_start(ctx);
  const Instant started = ctx.now();
  std::optional<Timer> t = ctx.take_timer("raft.election");
  ASSERT_TRUE(t);
  EXPECT_GE((ctx.now() - started).ns, s.election_timeout.ns);  // randomized in [T, 2T)
  EXPECT_LT((ctx.now() - started).ns, 2 * s.election_timeout.ns);
  server.on_timer(ctx, *t);
  int votes_asked = 0;
  for (const dsim::testing::Sent& x : ctx.take_sent()) votes_asked += x.message.as<raft::RequestVote>() != nullptr;
  EXPECT_EQ(votes_asked, 2);
  server.on_message(ctx, *cluster.find("lock2"), Message(raft::VoteReply{1, true}));
  EXPECT_TRUE(server.is_leader());
  EXPECT_EQ(ctx.traced("raft_leader").size(), 1u);
  ASSERT_EQ(ctx.traced("raft_append").size(), 1u);  // the no-op of term 1
  EXPECT_EQ(ctx.traced("raft_append")[0]["term"], 1);
}

}  // namespace
}  // namespace dsim::locks
