// Issue 14, atomic commit items 3 and 4 driven by hand: the participant's defences against
// a rollback that overtakes the branch start (the fence record, the branch timeout) and
// their mistakes; the recovery role (scan, orphan-safety interval, the coordinator's log,
// the presume-in-flight mistake); and the decided_then_executed check fed a violating and
// a clean history.
#include <gtest/gtest.h>

#include <functional>

#include "harness.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/recovery_manager.h"
#include "protocols/2pc/two_phase_participant.h"
#include "support/fake_checker_view.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;
using dsim::testing::Sent;

using State = ParticipantBase::State;

// p1 on one disk, restartable (as in two_phase_participant_test.cpp).
struct Branch {
  Harness h;
  DurableStore disk;
  uint32_t incarnation = 0;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<TwoPhaseParticipant> p;

  explicit Branch(Json protocol) : h("presumed-abort", std::move(protocol)) { boot(); }
  void boot() {
    ctx = std::make_unique<FakeContext>(h.cluster, h.p1, disk, incarnation);
    p = std::make_unique<TwoPhaseParticipant>(h.settings);
    p->on_start(*ctx);
  }
  void crash_and_restart() {
    disk.crash();
    ++incarnation;
    boot();
  }
  void deliver(NodeId from, const Message& m) { p->on_message(*ctx, from, m); }
  void late_execute() { deliver(h.coord, execute_msg(h, "coord.0.1", Json::array({add_op("a0", -10)}), {h.p1, h.p3})); }
};

TEST(HangingTransaction, TheFenceKeepsAnEmptyRollbackAcrossARestart) {
  Branch b(Json{{"branch_fence", true}});
  size_t syncs = b.disk.sync_count();
  b.deliver(b.h.coord, decision_msg("coord.0.1", "abort"));  // overtook the EXECUTE
  EXPECT_EQ(b.ctx->traced_of("unknown_decision").size(), 1u);
  EXPECT_EQ(b.disk.sync_count(), syncs + 1) << "the fence record is forced";
  b.crash_and_restart();
  EXPECT_EQ(b.p->state_of("coord.0.1"), State::kAborted);
  b.late_execute();
  EXPECT_TRUE(b.ctx->traced_of("work").empty()) << "the late branch must not start";
  auto refused = b.ctx->sent_of(msg::kExecuted);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].message.fields().at("ok"), false);
  EXPECT_EQ(refused[0].message.fields().at("reason"), "aborted");
  EXPECT_FALSE(b.p->holds_locks("coord.0.1"));
}

TEST(HangingTransaction, WithoutTheFenceARestartForgetsTheRollback) {
  Branch b(Json::object());
  size_t syncs = b.disk.sync_count();
  b.deliver(b.h.coord, decision_msg("coord.0.1", "abort"));
  EXPECT_EQ(b.disk.sync_count(), syncs) << "remembered in memory only";
  b.late_execute();  // same incarnation: refused
  EXPECT_TRUE(b.ctx->traced_of("work").empty());
  b.crash_and_restart();
  b.late_execute();
  EXPECT_EQ(b.ctx->traced_of("work").size(), 1u);
  EXPECT_TRUE(b.p->holds_locks("coord.0.1"));
}

TEST(HangingTransaction, TheForgetMistakeOpensTheLateBranchAtOnce) {
  Branch b(Json{{"mistakes", {{"participant_forget_unknown_abort", true}}}});
  b.deliver(b.h.coord, decision_msg("coord.0.1", "abort"));
  EXPECT_EQ(b.p->state_of("coord.0.1"), std::nullopt);
  b.late_execute();
  EXPECT_EQ(b.ctx->traced_of("work").size(), 1u);
  EXPECT_TRUE(b.p->holds_locks("coord.0.1"));
}

TEST(HangingTransaction, AnAbortBeforePrepareIsFencedToo) {
  Branch b(Json{{"branch_fence", true}});
  b.late_execute();
  b.p->on_timer(*b.ctx, *b.ctx->timer("work_done"));
  size_t syncs = b.disk.sync_count();
  b.p->on_timer(*b.ctx, *b.ctx->timer("work_timeout"));  // never asked to prepare
  EXPECT_EQ(b.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_EQ(b.disk.sync_count(), syncs + 1);
  b.crash_and_restart();
  EXPECT_EQ(b.p->state_of("coord.0.1"), State::kAborted);
}

TEST(HangingTransaction, TheBranchTimeoutBoundsTheWaitUnlessTheMistakeRemovesIt) {
  Branch with(Json::object());
  with.late_execute();
  with.p->on_timer(*with.ctx, *with.ctx->timer("work_done"));
  EXPECT_TRUE(with.ctx->timer("work_timeout").has_value());
  Branch without(Json{{"mistakes", {{"participant_no_branch_timeout", true}}}});
  without.late_execute();
  without.p->on_timer(*without.ctx, *without.ctx->timer("work_done"));
  EXPECT_FALSE(without.ctx->timer("work_timeout").has_value());
  EXPECT_EQ(without.p->state_of("coord.0.1"), State::kExecuted);
}

TEST(HangingTransaction, SettingsAreCheckedPerVariant) {
  EXPECT_THROW(Harness("three-phase", Json{{"branch_fence", true}}), ScenarioError);
  EXPECT_THROW(Harness("presumed-commit", Json{{"mistakes", {{"recovery_presumes_abort_in_flight", true}}}}),
               ScenarioError);
  EXPECT_THROW(Harness("basic", Json{{"orphan_safety_interval", "soon"}}), ScenarioError);
}

// ------------------------------------------------------------------ the recovery role

TEST(ParticipantRecovery, ListsPreparedBranchesInIdOrderAndAppliesTheResolution) {
  Branch b(Json::object());
  for (const char* tx : {"coord.0.2", "coord.0.1"}) {
    b.deliver(b.h.coord, execute_msg(b.h, tx, Json::array({add_op(tx == std::string("coord.0.1") ? "a0" : "a3", -1)}),
                                     {b.h.p1, b.h.p3}));
    b.p->on_timer(*b.ctx, *b.ctx->timer("work_done"));
    b.deliver(b.h.coord, prepare_msg(b.h, tx, 0, {b.h.p1, b.h.p3}));
  }
  b.ctx->clear();
  b.deliver(b.h.coord, Message(twopc::msg::RecoveryScan{}));
  auto listed = b.ctx->sent_of("prepared_branches");
  ASSERT_EQ(listed.size(), 1u);
  const auto* reply = listed[0].message.as<twopc::msg::PreparedBranches>();
  ASSERT_NE(reply, nullptr);
  ASSERT_EQ(reply->branches.size(), 2u);
  EXPECT_EQ(reply->branches[0].first.str(), "coord.0.1");
  EXPECT_EQ(reply->branches[1].first.str(), "coord.0.2");
  EXPECT_EQ(reply->branches[0].second, b.h.coord);
  b.deliver(b.h.coord, Message(twopc::msg::RecoveryResolve{tx_id(b.h.cluster, "coord.0.1"), Outcome::kAbort, true}));
  EXPECT_EQ(b.p->state_of("coord.0.1"), State::kAborted);
  auto outcomes = b.ctx->traced_of("outcome");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].fields.at("via"), "recovery");
  b.deliver(b.h.coord, Message(twopc::msg::RecoveryResolve{tx_id(b.h.cluster, "coord.0.1"), Outcome::kCommit, false}));
  EXPECT_EQ(b.ctx->traced_of("conflicting_decision").size(), 1u);
}

// A cluster with a recovery node rm beside coord, p1 and p2.
struct Recovery {
  Cluster cluster;
  NodeId client, coord, p1, p2, rm;
  std::shared_ptr<Settings> settings;
  DurableStore disk;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<RecoveryManager> r;

  explicit Recovery(Json protocol, const std::string& variant = "presumed-abort") {
    client = cluster.add("client", "client");
    coord = cluster.add("coord", "coordinator");
    p1 = cluster.add("p1", "participant");
    p2 = cluster.add("p2", "participant");
    rm = cluster.add("rm", "recovery");
    Json workload{{"accounts", 4}, {"script", Json::array({Json{{"at", "10ms"}, {"audit", true}}})}};
    ConfigReader pr(protocol, "test", "$.protocol");
    ConfigReader wr(workload, "test", "$.workload");
    settings = std::make_shared<Settings>(read_settings(variant, pr, wr, cluster, Duration::seconds(10)));
    ctx = std::make_unique<FakeContext>(cluster, rm, disk);
    r = std::make_unique<RecoveryManager>(settings);
    r->on_start(*ctx);
  }
  void scan() {
    auto t = ctx->timer("recovery_scan");
    ASSERT_TRUE(t.has_value());
    r->on_timer(*ctx, *t);
  }
  void report(NodeId p, std::vector<std::string> txs) {
    twopc::msg::PreparedBranches m;
    m.cluster = &cluster;
    for (const std::string& tx : txs) m.branches.emplace_back(tx_id(cluster, tx), coord);
    r->on_message(*ctx, p, Message(std::move(m)));
  }
  void log_says(const std::string& tx, twopc::msg::LogRecord record) {
    r->on_message(*ctx, coord, Message(twopc::msg::LogAnswer{tx_id(cluster, tx), record}));
  }
};

TEST(RecoveryManager, ScansEveryParticipantPeriodically) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}});
  ASSERT_TRUE(x.ctx->timer("recovery_scan").has_value());
  EXPECT_EQ(x.ctx->timers.back().after, Duration::millis(100));
  x.scan();
  auto scans = x.ctx->sent_of("recovery_scan");
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[0].to, x.p1);
  EXPECT_EQ(scans[1].to, x.p2);
}

TEST(RecoveryManager, ResolvesOnlyBranchesOlderThanTheOrphanSafetyInterval) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}, {"orphan_safety_interval", "300ms"}});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  for (int i = 0; i < 2; ++i) {
    x.scan();
    x.report(x.p1, {"coord.0.1"});
  }
  EXPECT_TRUE(x.ctx->sent_of("log_query").empty()) << "seen for 200ms only";
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  auto queries = x.ctx->sent_of("log_query");
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(queries[0].to, x.coord);
  x.log_says("coord.0.1", twopc::msg::LogRecord::kNone);
  auto resolves = x.ctx->sent_of("recovery_resolve");
  ASSERT_EQ(resolves.size(), 1u);
  EXPECT_EQ(resolves[0].to, x.p1);
  const auto* m = resolves[0].message.as<twopc::msg::RecoveryResolve>();
  EXPECT_EQ(m->outcome, Outcome::kAbort);
  EXPECT_TRUE(m->presumed);
  auto traced = x.ctx->traced_of("recovery_resolve");
  ASSERT_EQ(traced.size(), 1u);
  EXPECT_EQ(traced[0].fields.at("seen_ns"), Duration::millis(300).ns);
}

TEST(RecoveryManager, ABranchNoLongerListedStartsAgeingAgain) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}, {"orphan_safety_interval", "200ms"}});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  x.scan();
  x.report(x.p1, {});  // decided there
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  EXPECT_TRUE(x.ctx->sent_of("log_query").empty());
  EXPECT_EQ(x.r->branches_seen(), 1u);
}

TEST(RecoveryManager, AppliesTheLoggedDecision) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}, {"orphan_safety_interval", "100ms"}});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  x.report(x.p2, {"coord.0.1"});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  x.report(x.p2, {"coord.0.1"});
  EXPECT_EQ(x.ctx->sent_of("log_query").size(), 1u) << "one question per transaction and scan";
  x.log_says("coord.0.1", twopc::msg::LogRecord::kCommit);
  auto resolves = x.ctx->sent_of("recovery_resolve");
  ASSERT_EQ(resolves.size(), 2u);
  for (const Sent& s : resolves) {
    EXPECT_EQ(s.message.as<twopc::msg::RecoveryResolve>()->outcome, Outcome::kCommit);
    EXPECT_FALSE(s.message.as<twopc::msg::RecoveryResolve>()->presumed);
  }
}

TEST(RecoveryManager, ALostResolutionIsSentAgainAtTheNextScanWithoutAgeingAgain) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}, {"orphan_safety_interval", "100ms"}});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  x.log_says("coord.0.1", twopc::msg::LogRecord::kNone);
  ASSERT_EQ(x.ctx->sent_of("recovery_resolve").size(), 1u);
  x.scan();
  x.report(x.p1, {"coord.0.1"});  // the resolution was lost: still prepared there
  ASSERT_EQ(x.ctx->sent_of("log_query").size(), 2u);
  x.log_says("coord.0.1", twopc::msg::LogRecord::kNone);
  EXPECT_EQ(x.ctx->sent_of("recovery_resolve").size(), 2u);
  x.scan();
  x.report(x.p1, {});
  EXPECT_EQ(x.r->branches_seen(), 0u);
}

TEST(RecoveryManager, TheMistakePresumesAbortAtFirstSight) {
  Recovery x(Json{{"recovery_scan_interval", "100ms"}, {"orphan_safety_interval", "10s"},
                  {"mistakes", {{"recovery_presumes_abort_in_flight", true}}}});
  x.scan();
  x.report(x.p1, {"coord.0.1"});
  ASSERT_EQ(x.ctx->sent_of("log_query").size(), 1u);
  x.log_says("coord.0.1", twopc::msg::LogRecord::kNone);
  ASSERT_EQ(x.ctx->sent_of("recovery_resolve").size(), 1u);
}

TEST(RecoveryManager, NeedsAVariantThatLogsAndPresumesAbort) {
  EXPECT_THROW(Recovery(Json::object(), "presumed-commit"), ScenarioError);
  EXPECT_THROW(Recovery(Json::object(), "seed"), ScenarioError);
  EXPECT_NO_THROW(Recovery(Json::object(), "basic"));
}

TEST(RecoveryManager, TheCoordinatorAnswersFromItsLogNotItsMemory) {
  Recovery x(Json::object());
  DurableStore coord_disk;
  FakeContext c(x.cluster, x.coord, coord_disk);
  answer_log_query(c, x.rm, twopc::msg::LogQuery{tx_id(x.cluster, "coord.0.1")});
  coord_disk.append("wal", rec::CommitDecision{{tx_id(x.cluster, "coord.0.1"), {x.p1, x.p2}, &x.cluster}});
  coord_disk.append("wal", rec::End{tx_id(x.cluster, "coord.0.1")});
  answer_log_query(c, x.rm, twopc::msg::LogQuery{tx_id(x.cluster, "coord.0.1")});
  auto answers = c.sent_of("log_answer");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].message.as<twopc::msg::LogAnswer>()->record, twopc::msg::LogRecord::kNone);
  EXPECT_EQ(answers[1].message.as<twopc::msg::LogAnswer>()->record, twopc::msg::LogRecord::kCommit);
}

// ------------------------------------------------------------- decided_then_executed

// The view's cluster: coord, p1, p2 and no client.
const Cluster& clientless_view_cluster() {
  static const Cluster c = [] {
    Cluster out;
    out.add("coord", "coordinator");
    out.add("p1", "participant");
    out.add("p2", "participant");
    return out;
  }();
  return c;
}

class View final : public dsim::testing::FakeCheckerView {
 public:
  View() : FakeCheckerView(clientless_view_cluster()) {
    coord = *cluster_.find("coord");
    p1 = *cluster_.find("p1");
    p2 = *cluster_.find("p2");
  }

  void fault(Checker& c, int64_t ms, const std::string& event, NodeId node) {
    FakeCheckerView::fault(c, ms, node, event);
  }
  // coord.0.1 begun at 10ms over p1 and p2 (for no client: the view has none).
  void begin(Checker& c) {
    const std::vector<NodeId> ps{p1, p2};
    feed(c, 10, coord, PayloadRef::to(ev::TxBegin{tx_id(cluster_, "coord.0.1"), RequestId{}, kNoNode, "transfer", ps, ps, &cluster_}));
  }
  void decide(Checker& c, int64_t ms, Outcome o) {
    const std::vector<NodeId> to{p1, p2};
    feed(c, ms, coord, PayloadRef::to(ev::Decision{tx_id(cluster_, "coord.0.1"), o, "timeout", to, true, 1, 0, &cluster_}));
  }
  void work(Checker& c, int64_t ms, NodeId p) {
    feed(c, ms, p, PayloadRef::to(ev::Work{tx_id(cluster_, "coord.0.1"), coord, &accounts_, &cluster_}));
  }
  void executed(Checker& c, int64_t ms, NodeId p) { feed(c, ms, p, PayloadRef::to(ev::Executed{tx_id(cluster_, "coord.0.1"), true, {}})); }
  void outcome(Checker& c, int64_t ms, NodeId p, Outcome o) {
    feed(c, ms, p, PayloadRef::to(ev::OutcomeApplied{tx_id(cluster_, "coord.0.1"), o, "coordinator", &deltas_, 1, 0, false}));
  }
  void end(Checker& c, int64_t ms) {
    set_now_ms(ms);
    c.stopped(*this);  // as the simulator ends a run: stopped(), then finish()
    c.finish(*this);
  }

  NodeId coord, p1, p2;

 private:
  const Cluster& cluster_ = clientless_view_cluster();
  std::vector<std::string> accounts_{"a0"};
  ev::Deltas deltas_;
};

TEST(DecidedThenExecutedCheck, ReportsABranchExecutedAfterItWasToldTheOutcome) {
  View v;
  auto c = make_decided_then_executed_check(Duration::seconds(3));
  v.begin(*c);
  v.work(*c, 12, v.p1);
  v.executed(*c, 13, v.p1);
  v.decide(*c, 500, Outcome::kAbort);
  v.outcome(*c, 505, v.p1, Outcome::kAbort);
  v.feed(*c, 506, v.p2, PayloadRef::to(ev::UnknownDecision{tx_id(v.cluster(), "coord.0.1"), Outcome::kAbort}));
  v.fault(*c, 600, "crash", v.p2);  // the in-memory abort is gone...
  v.fault(*c, 700, "restart", v.p2);
  v.work(*c, 900, v.p2);  // ...and the late EXECUTE opens the branch
  EXPECT_TRUE(v.violations.empty());
  v.executed(*c, 901, v.p2);
  ASSERT_EQ(v.violations.size(), 1u);
  const Violation& x = v.violations[0];
  EXPECT_EQ(x.check, "decided_then_executed");
  EXPECT_EQ(x.at, Instant{Duration::millis(901).ns});
  EXPECT_EQ(x.nodes, std::vector<std::string>({"p2", "coord"}));
  EXPECT_EQ(x.details.at("tx"), "coord.0.1");
  EXPECT_EQ(x.details.at("rule"), "executed");
  EXPECT_NE(x.message.find("coord.0.1"), std::string::npos);
  c->stopped(v);  // the run stops at the violation: no finish()
  Json m;
  c->write_metrics(m);
  EXPECT_EQ(m.at("hanging_branches"), 1);
  EXPECT_EQ(m.at("executed_after_told"), 1);
  // Stopped by the violation (no finish()): the open hold counts up to the last event.
  EXPECT_EQ(m.at("hanging_lock_hold_ns").at("max"), Duration::millis(1).ns);
  EXPECT_EQ(m.at("decided_lock_hold_total_ns"), Duration::millis(5 + 1).ns);
}

TEST(DecidedThenExecutedCheck, ReportsABranchStillHoldingLocksLongAfterTheDecision) {
  View v;
  auto c = make_decided_then_executed_check(Duration::seconds(3));
  v.begin(*c);
  v.decide(*c, 500, Outcome::kAbort);
  v.outcome(*c, 505, v.p1, Outcome::kAbort);
  v.work(*c, 900, v.p2);  // never told (the abort was lost), no branch timeout
  v.executed(*c, 901, v.p2);
  EXPECT_TRUE(v.violations.empty()) << "not told: the start alone is no violation";
  v.end(*c, 5000);
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details.at("rule"), "holding");
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p2"}));
  Json m;
  c->write_metrics(m);
  EXPECT_EQ(m.at("decided_lock_hold_total_ns"), Duration::millis(5000 - 900).ns);
}

TEST(DecidedThenExecutedCheck, ACleanHistoryIsQuietAndMeasuresTheLockTimeAfterTheDecision) {
  View v;
  auto c = make_decided_then_executed_check(Duration::seconds(3));
  v.begin(*c);
  for (NodeId p : {v.p1, v.p2}) {
    v.work(*c, 12, p);
    v.executed(*c, 13, p);
    v.feed(*c, 20, p, PayloadRef::to(ev::VoteCast{tx_id(v.cluster(), "coord.0.1"), VoteValue::kYes, true}));
  }
  v.decide(*c, 30, Outcome::kCommit);
  v.outcome(*c, 35, v.p1, Outcome::kCommit);
  v.outcome(*c, 45, v.p2, Outcome::kCommit);
  v.feed(*c, 46, v.p2, PayloadRef::to(ev::UnknownDecision{tx_id(v.cluster(), "coord.0.9"), Outcome::kAbort}));
  // A late branch that is refused (the rollback was remembered) never executes.
  v.end(*c, 5000);
  EXPECT_TRUE(v.violations.empty());
  Json m;
  c->write_metrics(m);
  EXPECT_EQ(m.at("decided_lock_hold_total_ns"), Duration::millis(5 + 15).ns);
  EXPECT_EQ(m.at("hanging_branches"), 0);
  EXPECT_EQ(m.at("executed_after_told"), 0);
}

}  // namespace
}  // namespace dsim::twopc::testing
