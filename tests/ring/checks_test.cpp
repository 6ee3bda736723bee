// The ring checks fed typed events by hand through the shared fake CheckerView.
#include <gtest/gtest.h>

#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"
#include "support/fake_checker_view.h"

namespace dsim::ring {
namespace {

using dsim::testing::FakeCheckerView;

// s0, s1, s2 (stores), c0 (client).
Cluster small_cluster() {
  Cluster c;
  c.add("s0", "store");
  c.add("s1", "store");
  c.add("s2", "store");
  c.add("c0", "client");
  return c;
}

StoreSettings settings() {
  StoreSettings s;
  s.stores = {0, 1, 2};
  s.clients = {3};
  s.heartbeat_interval = Duration::millis(100);
  s.suspect_timeout = Duration::millis(500);
  return s;
}

MembershipChange change(const Cluster& c, bool added, NodeId node, std::vector<NodeId> members) {
  MembershipChange e;
  e.cluster = &c;
  e.added = added;
  e.node = node;
  e.members = std::move(members);
  e.keys = 10;
  return e;
}

TEST(SettledMembershipCheck, AViewThatStillMissesARunningStoreFailsOnceSettled) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_settled_membership_check(settings());
  for (const char* s : {"s0", "s1", "s2"}) view.feed(*check, 0, s, MembershipInit{&c, {0, 1, 2}, 1.0, 0});
  view.feed(*check, 1000, "s0", change(c, false, 2, {0, 1}));  // s2 is up: a false removal
  view.end(*check, 10'000, 2'000);
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].check, "settled_membership");
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"s0"}));
  EXPECT_EQ(view.violations[0].message,
            R"(s0's view ["s0","s1"] differs from the running stores ["s0","s1","s2"], 8s after the last fault ended)");

  view.feed(*check, 1200, "s0", change(c, true, 2, {0, 1, 2}));  // back: a flap
  view.violations.clear();
  view.end(*check, 10'000, 2'000);
  EXPECT_TRUE(view.violations.empty());
  view.end(*check, 10'000, 9'300);  // quiet for 700 ms < 800 ms: not judged either way
  Json m = Json::object();
  check->write_metrics(m);
  EXPECT_EQ(m["membership_changes"], 2);
  EXPECT_EQ(m["removed_while_up"], 1);
  EXPECT_EQ(m["re_added"], 1);
}

TEST(SettledMembershipCheck, ACrashedStoreIsNotExpectedInAnyView) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_settled_membership_check(settings());
  for (const char* s : {"s0", "s1", "s2"}) view.feed(*check, 0, s, MembershipInit{&c, {0, 1, 2}, 1.0, 0});
  view.fault(*check, 1000, "s2", "crash");
  view.feed(*check, 1600, "s0", change(c, false, 2, {0, 1}));
  view.feed(*check, 1600, "s1", change(c, false, 2, {0, 1}));
  view.end(*check, 10'000, 0);
  EXPECT_TRUE(view.violations.empty());
}

Coordinate coordinate(const Cluster& c, uint64_t key, std::vector<NodeId> replicas, uint64_t view_size) {
  return Coordinate{&c, 1, 3, 1, OpKind::kGet, key, std::move(replicas), view_size};
}

TEST(ReplicaAgreementCheck, EqualViewsReachedInDifferentOrdersMustChooseTheSameReplicas) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_replica_agreement_check();
  view.feed(*check, 0, "s0", MembershipInit{&c, {0, 1, 2}, 1.0, 0});
  view.feed(*check, 0, "s1", MembershipInit{&c, {2, 1, 0}, 1.0, 0});  // the same members
  view.feed(*check, 100, "s0", coordinate(c, 5, {0, 1}, 3));
  view.feed(*check, 200, "s1", coordinate(c, 5, {0, 1}, 3));
  EXPECT_TRUE(view.violations.empty());
  view.feed(*check, 300, "s1", coordinate(c, 5, {1, 0}, 3));
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].message,
            R"(s1 chose replicas ["s1","s0"] for key-5, but s0 chose ["s0","s1"] at 100ms with the same view ["s0","s1","s2"])");
  EXPECT_EQ(view.violations[0].details.dump(),
            R"({"key":"key-5","view":["s0","s1","s2"],"replicas":["s1","s0"],"earlier_coordinator":"s0",)"
            R"("earlier_replicas":["s0","s1"]})");
  view.fault(*check, 400, "s1", "crash");  // s1 forgets its view: nothing to compare
  view.feed(*check, 500, "s1", coordinate(c, 5, {2, 0}, 3));
  EXPECT_EQ(view.violations.size(), 1u);
}

TEST(DistinctReplicasCheck, ReportsARepeatedOrMissingReplica) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_distinct_replicas_check(2);
  view.feed(*check, 100, "s0", coordinate(c, 5, {0, 1}, 3));
  view.feed(*check, 100, "s0", coordinate(c, 6, {0}, 1));  // a view of one: one replica
  EXPECT_TRUE(view.violations.empty());
  view.feed(*check, 200, "s0", coordinate(c, 7, {1, 1}, 3));
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].message, R"(replica set ["s1","s1"] for key-7 is not 2 distinct nodes)");
  EXPECT_EQ(view.violations[0].details["replicas"], Json::parse(R"(["s1","s1"])"));
}

OpDone done(const Cluster& c, int64_t op, OpKind kind, uint64_t key, std::string value, bool found = false) {
  OpDone e;
  e.cluster = &c;
  e.op = op;
  e.kind = kind;
  e.key = key;
  e.outcome = OpResult::kOk;
  e.coordinator = 1;
  e.found = found;
  e.value = std::move(value);
  return e;
}

TEST(FreshReadsCheck, AGetMissingAnAcknowledgedPutIsStale) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_fresh_reads_check();
  view.feed(*check, 100, "c0", OpInvoke{1, OpKind::kPut, 4, "c0-1"});
  view.feed(*check, 150, "c0", done(c, 1, OpKind::kPut, 4, "c0-1"));
  view.feed(*check, 200, "c0", OpInvoke{2, OpKind::kGet, 4, ""});
  view.feed(*check, 250, "c0", done(c, 2, OpKind::kGet, 4, "c0-1", true));  // fresh
  EXPECT_TRUE(view.violations.empty());
  view.feed(*check, 300, "c0", OpInvoke{3, OpKind::kGet, 4, ""});
  view.feed(*check, 350, "c0", done(c, 3, OpKind::kGet, 4, "", false));  // found nothing
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].nodes, (std::vector<std::string>{"c0", "s1"}));
  EXPECT_EQ(view.violations[0].message,
            "get key-4 (op 3 of c0) found nothing, despite c0-1, acknowledged at 150ms before the get began at 300ms");
  EXPECT_EQ(view.violations[0].details["read"]["found"], false);
  Json m = Json::object();
  check->write_metrics(m);
  EXPECT_EQ(m["reads_checked"], 2);
  EXPECT_EQ(m["stale_reads"], 1);
}

TEST(AvailabilityCheck, CountsOutcomesByKind) {
  Cluster c = small_cluster();
  FakeCheckerView view(c);
  auto check = make_availability_check(0.9);
  OpDone ok = done(c, 1, OpKind::kGet, 1, "", false);
  ok.latency_ns = 1000;
  OpDone timeout = done(c, 2, OpKind::kPut, 1, "c0-2");
  timeout.outcome = OpResult::kTimeout;
  view.feed(*check, 100, "c0", ok);
  view.feed(*check, 200, "c0", timeout);
  view.end(*check, 1000, 0);
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].message, "1 of 2 operations succeeded (0.5000), below availability_min 0.9000");
  Json m = Json::object();
  check->write_metrics(m);
  EXPECT_EQ(m["by_kind"]["get"]["ok"], 1);
  EXPECT_EQ(m["by_kind"]["put"]["timeout"], 1);
}

}  // namespace
}  // namespace dsim::ring
