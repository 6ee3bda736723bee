// Replicated participants driven by hand (replicated_primary.h, participant_replica.h,
// group_router.h): FakeContexts stand in for the simulator, and messages are carried
// between the primary and its replica by the test, so each replication path (shipping,
// holding a vote until the replica has PREPARED, the lease, promotion, fencing, routing)
// is seen one step at a time.
#include <gtest/gtest.h>

#include "tx_text.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/group_view.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/group_router.h"
#include "protocols/2pc/participant_replica.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/replicated_primary.h"
#include "protocols/2pc/replication.h"
#include "protocols/2pc/two_phase_coordinator.h"
#include "scenario/config_reader.h"
#include "scenario/scenario_error.h"
#include "support/fake_checker_view.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;
using dsim::testing::Sent;

// The protocol's messages are named twopc::msg:: in full: harness.h's testing::msg (message
// names as text) would hide them wherever a unity build has included it before this file.

// client, coord, p1, p2 and their replicas p1r, p2r; accounts a0 (p1), a1 (p2).
struct Group {
  Cluster cluster;
  NodeId client, coord, p1, p2, p1r, p2r;
  std::shared_ptr<Settings> settings;
  DurableStore primary_disk, replica_disk;
  std::unique_ptr<FakeContext> pctx, rctx;
  std::unique_ptr<ReplicatedPrimary> primary;
  std::unique_ptr<ParticipantReplica> replica;

  explicit Group(const std::string& mode) {
    client = cluster.add("client", "client");
    coord = cluster.add("coord", "coordinator");
    p1 = cluster.add("p1", "participant");
    p2 = cluster.add("p2", "participant");
    p1r = cluster.add("p1r", "replica");
    p2r = cluster.add("p2r", "replica");
    Json protocol{{"replication", {{"mode", mode}}}};
    Json workload{{"accounts", 2}, {"script", Json::array({Json{{"at", "10ms"}, {"audit", true}}})}};
    ConfigReader pr(protocol, "test", "$.protocol");
    ConfigReader wr(workload, "test", "$.workload");
    settings = std::make_shared<Settings>(read_settings("basic", pr, wr, cluster, Duration::seconds(10)));
    pctx = std::make_unique<FakeContext>(cluster, p1, primary_disk);
    rctx = std::make_unique<FakeContext>(cluster, p1r, replica_disk);
    replica = std::make_unique<ParticipantReplica>(settings);
    replica->on_start(*rctx);
    primary = std::make_unique<ReplicatedPrimary>(settings);
    primary->on_start(*pctx);
  }

  // Delivers every message the primary sent to the replica, and the replica's answers
  // back, until neither has anything more for the other.
  void replicate() {
    for (int round = 0; round < 10; ++round) {
      std::vector<Sent> to_replica, to_primary;
      std::vector<Sent> keep;
      for (Sent& s : pctx->sent) (s.to == p1r ? to_replica : keep).push_back(std::move(s));
      pctx->sent = std::move(keep);
      keep.clear();
      for (Sent& s : rctx->sent) (s.to == p1 ? to_primary : keep).push_back(std::move(s));
      rctx->sent = std::move(keep);
      if (to_replica.empty() && to_primary.empty()) return;
      for (const Sent& s : to_replica) replica->on_message(*rctx, p1, s.message);
      for (const Sent& s : to_primary) primary->on_message(*pctx, p1r, s.message);
    }
  }
  void fire(FakeContext& ctx, Process& p, const std::string& kind) {
    auto t = ctx.timer(kind);
    ASSERT_TRUE(t.has_value()) << "no pending timer " << kind;
    p.on_timer(ctx, *t);
  }
  // The coordinator's execute of a debit of 10 from a0 (p1's) for `tx`, then work done.
  void execute(const std::string& tx) {
    twopc::msg::Execute e;
    e.tx = tx_id(cluster, tx);
    e.plan = PlanRef::make(TxPlan::of({p1, p2}, {}, {{Op{Op::Kind::kAdd, 0, -10, 0}}, {}}));
    e.branch = 0;
    primary->on_message(*pctx, coord, Message(std::move(e)));
    fire(*pctx, *primary, "work_done");
  }
  void prepare(const std::string& tx) {
    twopc::msg::Prepare m;
    m.tx = tx_id(cluster, tx);
    m.hops = 1;
    m.epoch = 0;
    m.plan = PlanRef::make(TxPlan{{p1, p2}, {}, {}, {}, {}});
    primary->on_message(*pctx, coord, Message(std::move(m)));
  }
  size_t votes() const { return pctx->sent_of("vote").size(); }
  size_t replica_log() const { return replica_disk.read_records("wal").size(); }
  bool replica_has_prepared(const std::string& tx) const {
    for (const Payload& r : replica_disk.read_records("wal")) {
      if (const auto* p = r.as<rec::Prepared>(); p != nullptr && p->tx.str() == tx) return true;
    }
    return false;
  }
};

TEST(Replication, ReadsItsSettingsAndRefusesBadOnes) {
  Group g("async");
  EXPECT_TRUE(g.settings->replication.enabled);
  EXPECT_FALSE(g.settings->replication.synchronous);
  EXPECT_EQ(g.settings->replication.group_of(g.p2r), g.p2);
  EXPECT_EQ(g.settings->replication.group_of(g.p2), g.p2);
  EXPECT_EQ(g.settings->replication.replica_of(g.p1), g.p1r);

  auto read = [&](const std::string& variant, Json protocol, const Cluster& cluster) {
    Json workload{{"accounts", 2}, {"script", Json::array({Json{{"at", "10ms"}, {"audit", true}}})}};
    ConfigReader pr(protocol, "test", "$.protocol");
    ConfigReader wr(workload, "test", "$.workload");
    return read_settings(variant, pr, wr, cluster, Duration::seconds(10));
  };
  EXPECT_THROW(read("basic", Json{{"replication", {{"lease", "300ms"}, {"failover_after", "300ms"}}}}, g.cluster),
               ScenarioError);
  EXPECT_THROW(read("basic", Json{{"replication", {{"mode", "semi"}}}}, g.cluster), ScenarioError);
  EXPECT_THROW(read("three-phase", Json::object(), g.cluster), ScenarioError);
  EXPECT_THROW(read("basic", Json{{"cooperative_termination", true}}, g.cluster), ScenarioError);
  Cluster one_replica;
  one_replica.add("client", "client");
  one_replica.add("coord", "coordinator");
  one_replica.add("p1", "participant");
  one_replica.add("p2", "participant");
  one_replica.add("p1r", "replica");
  EXPECT_THROW(read("basic", Json::object(), one_replica), ScenarioError);
  Cluster none;
  none.add("client", "client");
  none.add("coord", "coordinator");
  none.add("p1", "participant");
  none.add("p2", "participant");
  EXPECT_THROW(read("basic", Json{{"replication", {{"mode", "sync"}}}}, none), ScenarioError);
  EXPECT_FALSE(read("basic", Json::object(), none).replication.enabled);
  // A recovery manager asks participants by node and would not follow a failover.
  Cluster with_recovery = g.cluster;
  with_recovery.add("rm", "recovery");
  // At what the file gives: "protocol.replication" when it is there, else the recovery
  // nodes (replication is on with replica nodes alone).
  try {
    read("basic", Json::object(), with_recovery);
    ADD_FAILURE() << "a recovery role with replicated participants was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "$.nodes.recovery") << e.what();
  }
  try {
    read("basic", Json{{"replication", {{"mode", "sync"}}}}, with_recovery);
    ADD_FAILURE() << "a recovery role with replicated participants was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "$.protocol.replication") << e.what();
  }
}

TEST(Replication, PrimaryServesOnlyAfterItsReplicaAnswers) {
  Group g("sync");
  EXPECT_FALSE(g.primary->serving());
  EXPECT_EQ(g.pctx->sent_of("repl_append").size(), 1u);  // the probe
  g.replicate();
  EXPECT_TRUE(g.primary->serving());
  EXPECT_EQ(g.pctx->traced_of("open").size(), 1u);
  EXPECT_EQ(g.replica_log(), 1u);  // its snapshot of the opening balances, index 0
}

TEST(Replication, SyncHoldsTheYesVoteUntilTheReplicaHasPrepared) {
  Group g("sync");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  EXPECT_EQ(g.votes(), 0u);
  EXPECT_EQ(g.primary->held_messages(), 2u);  // the vote and its trace event
  EXPECT_TRUE(g.pctx->traced_of("vote").empty());  // not a promise until it leaves
  EXPECT_FALSE(g.replica_has_prepared("coord.0.1"));
  g.replicate();
  EXPECT_TRUE(g.replica_has_prepared("coord.0.1"));
  EXPECT_EQ(g.replica_disk.unsynced_writes(), 0u);  // synced before the ack
  ASSERT_EQ(g.votes(), 1u);
  EXPECT_EQ(g.pctx->sent_of("vote")[0].message.fields().at("vote"), "yes");
  ASSERT_EQ(g.pctx->traced_of("vote").size(), 1u);
  EXPECT_EQ(g.pctx->traced_of("vote")[0].fields.at("tx"), "coord.0.1");
  EXPECT_EQ(g.primary->held_messages(), 0u);
}

TEST(Replication, SyncHoldsTheCommitAckUntilTheReplicaHasTheCommit) {
  Group g("sync");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  g.replicate();
  twopc::msg::Decision d;
  d.tx = tx_id(g.cluster, "coord.0.1");
  d.outcome = Outcome::kCommit;
  g.primary->on_message(*g.pctx, g.coord, Message(std::move(d)));
  EXPECT_EQ(g.pctx->sent_of("ack").size(), 0u);
  g.replicate();
  EXPECT_EQ(g.pctx->sent_of("ack").size(), 1u);
  bool commit = false;
  for (const Payload& r : g.replica_disk.read_records("wal")) commit = commit || r.as<rec::Commit>() != nullptr;
  EXPECT_TRUE(commit);
}

TEST(Replication, AsyncVotesAtOnceAndShipsOnlyWithTheNextHeartbeat) {
  Group g("async");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  EXPECT_EQ(g.votes(), 1u);
  g.replicate();
  EXPECT_FALSE(g.replica_has_prepared("coord.0.1"));  // lagging: nothing shipped yet
  g.fire(*g.pctx, *g.primary, "repl_heartbeat");
  g.replicate();
  EXPECT_TRUE(g.replica_has_prepared("coord.0.1"));
}

TEST(Replication, APromotedReplicaRecoversWhatReachedIt) {
  Group g("sync");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  g.replicate();
  g.rctx->clear();
  g.fire(*g.rctx, *g.replica, "failover");  // the primary fell silent
  EXPECT_TRUE(g.replica->promoted());
  EXPECT_NE(g.replica_disk.get_record("promoted"), nullptr);
  ASSERT_EQ(g.rctx->traced_of("failover").size(), 1u);
  ASSERT_EQ(g.rctx->traced_of("recovered").size(), 1u);
  EXPECT_EQ(g.rctx->traced_of("recovered")[0].fields.at("in_doubt"), Json::array({"coord.0.1"}));
  // It tells the coordinator first, then asks it about the transaction in doubt.
  ASSERT_GE(g.rctx->sent.size(), 2u);
  EXPECT_EQ(g.rctx->sent[0].message.type(), "new_primary");
  EXPECT_EQ(g.rctx->sent[0].message.fields().at("group"), "p1");
  EXPECT_EQ(g.rctx->sent_of("inquire").size(), 1u);
  // It owns the group's accounts: a0's debit is still held under the lock.
  EXPECT_EQ(g.replica->participant()->balance("a0"), 100);
  EXPECT_TRUE(g.replica->participant()->holds_locks("coord.0.1"));
}

TEST(Replication, AsyncFailoverForgetsTheYesVote) {
  Group g("async");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  EXPECT_EQ(g.votes(), 1u);
  g.fire(*g.rctx, *g.replica, "failover");
  ASSERT_EQ(g.rctx->traced_of("recovered").size(), 1u);
  EXPECT_EQ(g.rctx->traced_of("recovered")[0].fields.at("in_doubt"), Json::array());
}

TEST(Replication, APromotedReplicaFencesItsOldPrimary) {
  Group g("sync");
  g.replicate();
  g.fire(*g.rctx, *g.replica, "failover");
  g.fire(*g.pctx, *g.primary, "repl_heartbeat");
  g.replicate();
  EXPECT_TRUE(g.primary->demoted());
  EXPECT_FALSE(g.primary->serving());
  EXPECT_EQ(g.pctx->traced_of("demoted").size(), 1u);
  g.pctx->clear();
  g.prepare("coord.0.2");  // a coordinator that has not heard: pointed at the new primary
  ASSERT_EQ(g.pctx->sent.size(), 1u);
  EXPECT_EQ(g.pctx->sent[0].message.type(), "new_primary");
  EXPECT_EQ(g.pctx->sent[0].message.fields().at("primary"), "p1r");
}

TEST(Replication, APrimaryWithoutLeaseStepsDownAndRecoversWhenAckedAgain) {
  Group g("sync");
  g.replicate();
  g.execute("coord.0.1");
  g.prepare("coord.0.1");
  g.replicate();
  EXPECT_TRUE(g.primary->serving());
  // Every heartbeat's lease runs out with no ack: the replica is unreachable.
  for (int i = 0; i < 5; ++i) {
    auto t = g.pctx->timer("lease_expiry");
    if (!t) break;
    g.primary->on_timer(*g.pctx, *t);
    g.pctx->cancelled.push_back(t->id);
  }
  EXPECT_FALSE(g.primary->serving());
  EXPECT_EQ(g.pctx->traced_of("lease_lost").size(), 1u);
  g.pctx->clear();
  g.fire(*g.pctx, *g.primary, "repl_heartbeat");
  g.replicate();
  EXPECT_TRUE(g.primary->serving());
  ASSERT_EQ(g.pctx->traced_of("recovered").size(), 1u);
  EXPECT_EQ(g.pctx->traced_of("recovered")[0].fields.at("in_doubt"), Json::array({"coord.0.1"}));
}

TEST(Replication, TheRouterSendsToTheGroupsCurrentPrimary) {
  Group g("sync");
  DurableStore disk;
  FakeContext ctx(g.cluster, g.coord, disk);
  GroupRouter router(g.settings, std::make_unique<TwoPhaseCoordinator>(g.settings));
  router.on_start(ctx);
  EXPECT_EQ(router.route(g.p1), g.p1);
  router.on_message(ctx, g.p1r, Message(twopc::msg::NewPrimary{g.p1, g.p1r, &g.cluster}));
  EXPECT_EQ(router.route(g.p1), g.p1r);
  EXPECT_EQ(router.route(g.p2), g.p2);
  std::vector<std::pair<NodeId, std::vector<Op>>> ops = {{g.p1, {Op{Op::Kind::kAdd, 0, -5, 0}}},
                                                          {g.p2, {Op{Op::Kind::kAdd, 1, 5, 0}}}};
  twopc::msg::Begin b{request_id(g.cluster, "client.0.1"), PlanRef::make(plan_of_request(ops)), &g.cluster,
                      RequestKind::kTransfer};
  router.on_message(ctx, g.client, Message(std::move(b)));
  std::vector<NodeId> to;
  for (const Sent& s : ctx.sent_of("execute")) to.push_back(s.to);
  EXPECT_EQ(to, (std::vector<NodeId>{g.p1r, g.p2}));
}

// The checks judge the group: a promoted replica's recovery is the group's.
std::vector<Violation> replica_recovers(const Group& g, std::vector<std::string> in_doubt_text) {
  std::vector<TxId> in_doubt;
  for (const std::string& id : in_doubt_text) in_doubt.push_back(tx_id(g.cluster, id));
  dsim::testing::FakeCheckerView view(g.cluster);
  view.set_quiet_since(Instant::max());
  auto check = judge_by_group(make_prepared_durable_check(), g.settings->replication);
  int64_t at_ms = 0;
  auto feed = [&](NodeId node, const auto& event) { view.feed(*check, at_ms++, node, PayloadRef::to(event)); };
  const std::vector<NodeId> parts = {g.p1, g.p2};
  feed(g.coord, ev::TxBegin{tx_id(g.cluster, "coord.0.1"), request_id(g.cluster, "client.0.1"), g.client, "transfer", parts, parts, &g.cluster});
  feed(g.p1, ev::VoteCast{tx_id(g.cluster, "coord.0.1"), VoteValue::kYes, true});
  const ev::Balances balances{{"a0", 100}};
  feed(g.p1r, ev::ParticipantRecovered{&in_doubt, &balances});
  return view.violations;
}

TEST(Replication, TheChecksJudgeTheGroupNotTheNode) {
  Group g("async");
  std::vector<Violation> lost = replica_recovers(g, {});
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].check, "prepared_durable");
  EXPECT_EQ(lost[0].nodes.front(), "p1");  // the group, by its first primary's name
  EXPECT_EQ(lost[0].details.at("tx"), "coord.0.1");
  EXPECT_TRUE(replica_recovers(g, {"coord.0.1"}).empty());  // the replica held PREPARED
}

}  // namespace
}  // namespace dsim::twopc::testing
