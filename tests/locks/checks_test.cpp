// Each checker fed a hand-written history: what it must report, and what it must not.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/checks/exclusion_check.h"
#include "protocols/locks/checks/liveness_check.h"
#include "protocols/locks/checks/lock_metrics.h"
#include "protocols/locks/checks/overlap_check.h"
#include "protocols/locks/checks/owner_release_check.h"
#include "protocols/locks/checks/starvation_check.h"
#include "protocols/locks/checks/token_order_check.h"
#include "support/fake_checker_view.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeCheckerView;
using testing::test_cluster;

// Events name their owners and clients by views: these take string literals, which
// outlive the events. The client is the owner's first two characters ("c1/0/1": c1).
events::Grant grant(std::string_view owner, int64_t token) { return {owner, owner.substr(0, 2), token}; }
events::Grant restored(std::string_view owner, int64_t token) {
  events::Grant g = grant(owner, token);
  g.restored = true;
  return g;
}
events::WriteAccepted accepted(std::string_view owner, int64_t n) {
  return {events::WriteVerdict{owner, owner.substr(0, 2), n}};
}
events::WriteRejected rejected(std::string_view owner, int64_t n) {
  return {events::WriteVerdict{owner, owner.substr(0, 2), n}};
}
events::Freed freed(std::string_view owner, std::string_view cause) { return {owner, "", cause}; }
events::Freed released_by(std::string_view owner, std::string_view by) {
  return {owner, "", "release", std::nullopt, by, by.substr(0, 2)};
}

TEST(ExclusionCheck, StaleWriteAfterTheNewHoldersIsAViolation) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  ExclusionCheck check(1);
  view.feed(check, 0, "lock", grant("c1/0/1", 1));
  view.feed(check, 10, "resource", accepted("c1/0/1", 0));
  view.feed(check, 1000, "lock", freed("c1/0/1", "expired"));
  view.feed(check, 1001, "lock", grant("c2/0/1", 2));
  view.feed(check, 1100, "resource", accepted("c1/0/1", 1));  // late, not interleaved
  EXPECT_TRUE(view.violations.empty());
  view.feed(check, 1200, "resource", accepted("c2/0/1", 0));
  view.feed(check, 1300, "resource", rejected("c1/0/1", 2));  // fencing at work
  EXPECT_TRUE(view.violations.empty());
  view.feed(check, 1400, "resource", accepted("c1/0/1", 3));
  ASSERT_EQ(view.violations.size(), 1u);
  const Violation& v = view.violations[0];
  EXPECT_EQ(v.check, "exclusion");
  EXPECT_EQ(v.at.ns, Duration::millis(1400).ns);
  EXPECT_EQ(v.nodes, (std::vector<std::string>{"c1", "c2", "resource"}));
  EXPECT_EQ(v.details["superseded_by_owner"], "c2/0/1");
  Json m;
  check.write_metrics(m);
  EXPECT_EQ(m["late_writes_accepted"], 1);
  EXPECT_EQ(m["stale_writes_rejected"], 1);
  EXPECT_EQ(m["stale_writes_accepted"], 1);
}

TEST(ExclusionCheck, WriteFromAnOwnerNeverGrantedIsAViolation) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  ExclusionCheck check(1);
  view.feed(check, 0, "lock", grant("c3/0/1.1", 3));
  view.feed(check, 10, "resource", accepted("c2/0/1.1", 0));
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"c2", "c3", "resource"}));
}

TEST(ExclusionCheck, RedlockGrantTakesEffectWithTheMajorityAndRestartsDoNotRegrant) {
  Cluster cluster = test_cluster(3);
  FakeCheckerView view(cluster);
  ExclusionCheck check(2);
  view.feed(check, 0, "lock1", grant("c1/0/1.1", 1));
  view.feed(check, 5, "lock2", grant("c1/0/1.1", 1));
  view.feed(check, 6, "resource", accepted("c1/0/1.1", 0));
  view.feed(check, 7, "lock3", grant("c2/0/1.1", 1));  // a minority: not a grant
  view.fault(check, 8, "lock2", "crash");
  view.fault(check, 9, "lock2", "restart");
  view.feed(check, 9, "lock2", restored("c1/0/1.1", 1));
  view.feed(check, 10, "resource", accepted("c1/0/1.1", 1));
  EXPECT_TRUE(view.violations.empty());
  Json m;
  check.write_metrics(m);
  EXPECT_EQ(m["lock_grants"], 1);
}

TEST(OverlapCheck, SecondBelieverIsReportedWithTheFirst) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  OverlapCheck check;
  view.feed(check, 0, "c1", events::Acquired{"c1/0/1"});
  view.feed(check, 50, "c1", events::Released{"c1/0/1"});
  view.feed(check, 60, "c2", events::Acquired{"c2/0/1"});
  view.fault(check, 70, "c2", "pause");
  view.fault(check, 80, "c2", "crash");  // the dead believe nothing
  view.feed(check, 90, "c3", events::Acquired{"c3/0/1"});
  EXPECT_TRUE(view.violations.empty());
  view.feed(check, 95, "c1", events::Acquired{"c1/0/2"});
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"c1", "c3"}));
}

TEST(TokenOrderCheck, TokensMustGrowPerServerAndPerLock) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  TokenOrderCheck check(1);
  view.feed(check, 0, "lock", grant("c1/0/1", 1));
  view.feed(check, 10, "lock", grant("c2/0/1", 2));
  view.feed(check, 20, "lock", restored("c2/0/1", 2));
  EXPECT_TRUE(view.violations.empty());
  view.fault(check, 30, "lock", "crash");
  view.feed(check, 40, "lock", grant("c3/0/1", 1));  // the counter was not synced
  ASSERT_FALSE(view.violations.empty());
  EXPECT_EQ(view.violations[0].check, "token_order");
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"lock", "c2", "c3"}));
}

TEST(OwnerReleaseCheck, OnlyTheHolderMayRelease) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  OwnerReleaseCheck check;
  view.feed(check, 0, "lock", grant("c1/0/1", 1));
  view.feed(check, 10, "lock", released_by("c1/0/1", "c1/0/1"));
  view.feed(check, 20, "lock", grant("c2/0/1", 2));
  view.feed(check, 30, "lock", freed("c2/0/1", "expired"));
  view.feed(check, 40, "lock", grant("c3/0/1", 3));
  EXPECT_TRUE(view.violations.empty());
  view.feed(check, 50, "lock", released_by("c3/0/1", "c2/0/1"));
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"c2", "c3", "lock"}));
}

class LivenessCheckTest : public ::testing::Test {
 protected:
  LockSettings settings() const {
    LockSettings s;
    s.service.ttl = Duration::seconds(1);
    s.service.liveness_bound = Duration::seconds(2);
    return s;  // allowance: 1 s + 0 + 2 s
  }
  Cluster cluster_ = test_cluster();
  FakeCheckerView view_{cluster_};
};

TEST_F(LivenessCheckTest, StuckLockAfterTheFaultsIsReportedWithWaitersAndLastHolder) {
  LivenessCheck check(settings());
  EXPECT_EQ(check.allowance(), Duration::seconds(3));
  view_.feed(check, 0, "c1", events::AcquireStart{"c1/0/1"});
  view_.feed(check, 5, "c1", events::Acquired{"c1/0/1"});
  view_.feed(check, 10, "c2", events::AcquireStart{"c2/0/1"});
  view_.fault(check, 2000, "c1", "crash");
  view_.fault(check, 3000, "c1", "restart");
  view_.end(check, 7000, 3000);
  ASSERT_EQ(view_.violations.size(), 1u);
  const Violation& v = view_.violations[0];
  EXPECT_EQ(v.check, "liveness");
  EXPECT_EQ(v.nodes, (std::vector<std::string>{"c2", "c1"}));
  EXPECT_EQ(v.details["stalled_from_ns"], Duration::millis(2000).ns);
  EXPECT_EQ(v.details["deadline_ns"], Duration::millis(6000).ns);
}

TEST_F(LivenessCheckTest, BusyLiveHolderAndShortStallsAreFine) {
  LivenessCheck check(settings());
  view_.feed(check, 0, "c1", events::Acquired{"c1/0/1"});
  view_.feed(check, 10, "c2", events::AcquireStart{"c2/0/1"});
  view_.feed(check, 20000, "c1", events::Released{"c1/0/1"});  // held 20 s: not a stall
  view_.feed(check, 22000, "c2", events::Acquired{"c2/0/1"});  // 2 s to get it
  view_.end(check, 30000, 0);
  EXPECT_TRUE(view_.violations.empty());
}

TEST_F(LivenessCheckTest, NotJudgedWhileFaultsLastOrTheRunWasCut) {
  for (bool ran_to_end : {true, false}) {
    LivenessCheck check(settings());
    view_.feed(check, 0, "c2", events::AcquireStart{"c2/0/1"});
    view_.end(check, 60000, ran_to_end ? -1 : 0, ran_to_end);
    EXPECT_TRUE(view_.violations.empty());
  }
}

TEST(LockMetrics, OrphanTimeIsSeparatedFromAGrantInFlight) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  LockMetrics metrics;
  view.feed(metrics, 0, "c2", events::AcquireStart{"c2/0/1"});
  view.feed(metrics, 0, "lock", grant("c1/0/1.1", 1));  // nobody will believe it
  view.feed(metrics, 1900, "lock", events::Freed{"c1/0/1.1", "", "session_expired", 1});
  view.feed(metrics, 1900, "lock", grant("c2/0/1", 2));
  view.feed(metrics, 1902, "c2", events::Woke{"lock", 1});
  view.feed(metrics, 1904, "c2", events::Acquired{"c2/0/1", 2});
  view.end(metrics, 2000, 0);
  Json m;
  metrics.write_metrics(m);
  EXPECT_EQ(m["orphans"]["count"], 1);
  EXPECT_EQ(m["orphans"]["held_ns_max"], Duration::millis(1900).ns);
  EXPECT_EQ(m["unavailable_by_cause_ns"]["orphan"], Duration::millis(1900).ns);
  EXPECT_EQ(m["unavailable_by_cause_ns"]["handoff"], Duration::millis(4).ns);
  EXPECT_EQ(m["wakeups"]["per_release_mean"], 1.0);
  EXPECT_EQ(m["acquire_latency_ns"]["p50"], Duration::millis(1904).ns);
}

// A run's checks share one grant ledger and one belief tracker (LocksRun::make_checkers):
// fed one history, the sharing checks report and measure exactly what checks with models
// of their own do.
TEST(SharedModels, ChecksSharingALedgerAndBeliefsJudgeAsChecksAlone) {
  Cluster cluster = test_cluster();
  LockSettings settings;
  settings.service.ttl = Duration::seconds(1);
  settings.service.liveness_bound = Duration::seconds(2);
  auto ledger = std::make_shared<SharedGrantLedger>(1);
  auto beliefs = std::make_shared<SharedBeliefs>();
  struct Set {
    std::vector<std::unique_ptr<Checker>> checks;
    std::vector<Checker*> all() const {
      std::vector<Checker*> out;
      for (const auto& c : checks) out.push_back(c.get());
      return out;
    }
  } shared, alone;
  shared.checks.push_back(std::make_unique<ExclusionCheck>(1, ledger));
  shared.checks.push_back(std::make_unique<TokenOrderCheck>(1, ledger));
  shared.checks.push_back(std::make_unique<OverlapCheck>(beliefs));
  shared.checks.push_back(std::make_unique<LivenessCheck>(settings, beliefs));
  shared.checks.push_back(std::make_unique<LockMetrics>(beliefs));
  alone.checks.push_back(std::make_unique<ExclusionCheck>(1));
  alone.checks.push_back(std::make_unique<TokenOrderCheck>(1));
  alone.checks.push_back(std::make_unique<OverlapCheck>());
  alone.checks.push_back(std::make_unique<LivenessCheck>(settings));
  alone.checks.push_back(std::make_unique<LockMetrics>());
  std::vector<Json> metrics;
  std::vector<std::vector<Violation>> violations;
  for (const Set* set : {&shared, &alone}) {
    FakeCheckerView view(cluster);
    const std::vector<Checker*> all = set->all();
    view.feed_all(all, 0, "c1", events::AcquireStart{"c1/0/1"});
    view.feed_all(all, 0, "c2", events::AcquireStart{"c2/0/1"});
    view.feed_all(all, 1, "lock", grant("c1/0/1", 1));
    view.feed_all(all, 3, "c1", events::Acquired{"c1/0/1", 1});
    view.feed_all(all, 10, "resource", accepted("c1/0/1", 0));
    view.fault_all(all, 500, "c1", "pause");
    view.feed_all(all, 1001, "lock", freed("c1/0/1", "expired"));
    view.feed_all(all, 1002, "lock", grant("c2/0/1", 2));
    view.feed_all(all, 1004, "c2", events::Acquired{"c2/0/1", 2});  // overlaps the paused c1
    view.feed_all(all, 1010, "resource", accepted("c2/0/1", 0));
    view.fault_all(all, 1500, "c1", "resume");
    view.feed_all(all, 1510, "resource", accepted("c1/0/1", 1));  // stale, after c2's
    view.fault_all(all, 1600, "lock", "crash");
    view.fault_all(all, 1700, "lock", "restart");
    view.feed_all(all, 1800, "lock", grant("c3/0/1", 1));  // the counter went back
    for (Checker* c : all) view.end(*c, 9000, 2000);
    violations.push_back(view.violations);
    Json m = Json::object();
    for (Checker* c : all) c->write_metrics(m[std::string(c->name())]);
    metrics.push_back(m);
  }
  EXPECT_EQ(metrics[0], metrics[1]);
  ASSERT_EQ(violations[0].size(), violations[1].size());
  std::vector<std::string> checks;
  for (size_t i = 0; i < violations[0].size(); ++i) {
    EXPECT_EQ(violations[0][i].message, violations[1][i].message);
    checks.push_back(violations[0][i].check);
  }
  // The history breaks overlap, exclusion and token order (the server's tokens and the
  // lock's both went back); nobody waits at the end, so liveness has nothing to judge.
  EXPECT_EQ(checks, (std::vector<std::string>{"overlap", "exclusion", "token_order", "token_order"}));
  EXPECT_EQ(metrics[0]["lock_metrics"]["overlaps"]["count"], 1);
  EXPECT_EQ(metrics[0]["exclusion"]["lock_grants"], 3);
}

}  // namespace
}  // namespace dsim::locks

namespace dsim::locks {
namespace {

using dsim::testing::FakeCheckerView;
using testing::test_cluster;

// Issue 15 item 4: a waiter never granted shows too, not only a late grant.
TEST(StarvationCheck, AWaiterNeverGrantedFailsAtTheFirstEventPastTheBound) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  StarvationCheck check(Duration::seconds(2));
  view.feed(check, 0, "c1", events::AcquireStart{"c1/0/1"});
  view.feed(check, 5, "c1", events::Acquired{"c1/0/1", 1});
  view.feed(check, 10, "c2", events::AcquireStart{"c2/0/1"});
  view.feed(check, 2000, "c1", events::Released{"c1/0/1"});  // 1.99 s: within the bound
  EXPECT_TRUE(view.violations.empty());
  view.feed(check, 2500, "c1", events::AcquireStart{"c1/0/2"});
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].check, "starvation");
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"c2", "c1"}));
  EXPECT_EQ(view.violations[0].details["waited_ns"], Duration::millis(2490).ns);
}

TEST(StarvationCheck, AnOpenWaitIsJudgedAtTheEndAndACrashEndsTheWait) {
  Cluster cluster = test_cluster();
  FakeCheckerView view(cluster);
  StarvationCheck check(Duration::seconds(2));
  view.feed(check, 0, "c1", events::AcquireStart{"c1/0/1"});
  view.fault(check, 500, "c1", "crash");
  view.feed(check, 600, "c2", events::AcquireStart{"c2/0/1"});
  view.end(check, 2500, 0);  // c1's wait ended at its crash; c2 waited 1.9 s
  EXPECT_TRUE(view.violations.empty());
  StarvationCheck late(Duration::seconds(2));
  view.feed(late, 0, "c2", events::AcquireStart{"c2/0/1"});
  view.end(late, 3000, 0, /*ran_to_end=*/false);  // cut short: not judged
  EXPECT_TRUE(view.violations.empty());
  view.end(late, 3000, 0);
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_NE(view.violations[0].message.find("by the end of the run"), std::string::npos);
}

}  // namespace
}  // namespace dsim::locks
