// Each checker fed hand-written trace events: what must be reported (with the right
// transaction, nodes and time) and what must not.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"
#include "protocols/2pc/events.h"
#include "support/fake_checker_view.h"
#include "tx_text.h"

namespace dsim::twopc::testing {
namespace {

// The view's cluster: coord, p1, p2, client.
const Cluster& view_cluster() {
  static const Cluster c = [] {
    Cluster out;
    out.add("coord", "coordinator");
    out.add("p1", "participant");
    out.add("p2", "participant");
    out.add("client", "client");
    return out;
  }();
  return c;
}

// The shared view, fed the family's events as their trace shows them.
class FakeView final : public dsim::testing::FakeCheckerView {
 public:
  FakeView() : FakeCheckerView(view_cluster()) {
    coord = *cluster_.find("coord");
    p1 = *cluster_.find("p1");
    p2 = *cluster_.find("p2");
    client = *cluster_.find("client");
  }

  // Feeds one event at `at_ms` to the checker.
  // A protocol event is written as its trace shows it (a name and JSON fields) and fed as
  // the typed event the family records; a simulator event stays JSON.
  void feed(Checker& c, int64_t at_ms, const std::string& event, NodeId node, Json fields,
            bool from_protocol = true) {
    if (!from_protocol) {
      feed_json(c, at_ms, node, event, fields, false);
      return;
    }
    with_typed(event, node, fields, [&](PayloadRef e) { FakeCheckerView::feed(c, at_ms, node, e); });
  }

  void with_typed(const std::string& event, NodeId node, const Json& f, const std::function<void(PayloadRef)>& go) {
    auto str = [&](const char* k) { return f.contains(k) ? f.at(k).get<std::string>() : std::string(); };
    auto num = [&](const char* k) { return f.contains(k) ? f.at(k).get<int64_t>() : int64_t{0}; };
    auto flag = [&](const char* k) { return f.contains(k) && f.at(k).get<bool>(); };
    auto ids = [&](const char* k) {
      std::vector<NodeId> out;
      if (f.contains(k)) {
        for (const Json& n : f.at(k)) out.push_back(*cluster_.find(n.get<std::string>()));
      }
      return out;
    };
    auto outcome_of = [](const Json& o) { return o == "commit" ? Outcome::kCommit : Outcome::kAbort; };
    const TxId tx = tx_id(cluster_, str("tx"));
    const std::string via = str("via"), kind = str("kind"), rec = str("rec");
    const RequestId request = request_id(cluster_, str("request"));
    const std::string reason = str("reason"), presumption = str("presumption");
    const Outcome outcome = outcome_of(f.contains("outcome") ? f.at("outcome") : Json("abort"));
    const std::vector<NodeId> to = ids("to"), participants = ids("participants"), writers = ids("writers");
    ev::Balances balances;
    ev::Deltas deltas;
    if (f.contains("balances")) {
      for (const auto& [k, v] : f.at("balances").items()) balances[k] = v.get<int64_t>();
    }
    if (f.contains("deltas")) {
      for (const auto& [k, v] : f.at("deltas").items()) deltas.emplace_back(k, v.get<int64_t>());
    }
    std::vector<std::string> accounts;
    std::vector<TxId> in_doubt, collecting;
    std::vector<std::pair<TxId, Outcome>> decisions;
    if (f.contains("in_doubt")) {
      for (const Json& id : f.at("in_doubt")) in_doubt.push_back(tx_id(cluster_, id.get<std::string>()));
    }
    if (f.contains("collecting")) {
      for (const Json& id : f.at("collecting")) collecting.push_back(tx_id(cluster_, id.get<std::string>()));
    }
    if (f.contains("decisions")) {
      for (const auto& [k, v] : f.at("decisions").items()) decisions.emplace_back(tx_id(cluster_, k), outcome_of(v));
    }
    if (event == "open") {
      go(PayloadRef::to(ev::Open{&balances}));
    } else if (event == "recovered" && f.contains("in_doubt")) {
      go(PayloadRef::to(ev::ParticipantRecovered{&in_doubt, &balances}));
    } else if (event == "recovered") {
      go(PayloadRef::to(ev::CoordinatorRecovered{&decisions, &collecting, presumption}));
    } else if (event == "tx_begin") {
      go(PayloadRef::to(ev::TxBegin{tx, request, client, kind, participants, writers, &cluster_}));
    } else if (event == "decision") {
      bool by_coordinator = cluster_.role(node) == "coordinator";
      go(PayloadRef::to(ev::Decision{tx, outcome, via, to, by_coordinator, num("hops"), num("forces"), &cluster_}));
    } else if (event == "resend") {
      go(PayloadRef::to(ev::Resend{tx, outcome, to, &cluster_}));
    } else if (event == "answer") {
      go(PayloadRef::to(ev::Answer{tx, outcome, flag("presumed"), to.at(0), &cluster_}));
    } else if (event == "work") {
      go(PayloadRef::to(ev::Work{tx, coord, &accounts, &cluster_}));
    } else if (event == "executed") {
      go(PayloadRef::to(ev::Executed{tx, flag("ok"), reason}));
    } else if (event == "vote") {
      const Json& v = f.at("vote");
      VoteValue vote = v == "yes" ? VoteValue::kYes : v == "no" ? VoteValue::kNo : VoteValue::kReadOnly;
      go(PayloadRef::to(ev::VoteCast{tx, vote, flag("forced")}));
    } else if (event == "outcome") {
      go(PayloadRef::to(ev::OutcomeApplied{tx, outcome, via, &deltas, num("hops"), num("forces"), flag("heuristic")}));
    } else if (event == "tx_result") {
      ev::TxResult r;
      r.request = request;
      r.kind = kind;
      const std::string o = str("outcome");
      r.outcome = o;
      r.timed_out = flag("timed_out");
      r.tx = tx;
      r.latency_ns = num("latency_ns");
      if (f.contains("audit_total")) r.audit_total = num("audit_total");
      r.cluster = &cluster_;
      go(PayloadRef::to(r));
    } else if (event == "log") {
      go(PayloadRef::to(ev::Log{tx, rec, flag("forced"), flag("lazy")}));
    } else if (event == "end") {
      go(PayloadRef::to(ev::End{tx}));
    } else {
      ADD_FAILURE() << "feed(): no typed event " << event;
    }
  }
  // Ends the run at `at_ms` (the faults' quiet time as set_quiet_since() left it).
  void end(Checker& c, int64_t at_ms) {
    set_now_ms(at_ms);
    c.stopped(*this);  // as the simulator ends a run: stopped(), then finish()
    c.finish(*this);
  }

  NodeId coord, p1, p2, client;

 private:
  const Cluster& cluster_ = view_cluster();
};

// A transfer coord.0.1: p1 debits 10 from a0, p2 credits 10 to a1; both vote yes.
void begin_and_prepare(FakeView& v, Checker& c) {
  v.feed(c, 0, "open", v.p1, Json{{"balances", {{"a0", 100}}}});
  v.feed(c, 0, "open", v.p2, Json{{"balances", {{"a1", 100}}}});
  v.feed(c, 10, "tx_begin", v.coord, Json{{"tx", "coord.0.1"}, {"kind", "transfer"}, {"participants", {"p1", "p2"}}, {"writers", {"p1", "p2"}}});
  for (NodeId p : {v.p1, v.p2}) {
    v.feed(c, 12, "work", p, Json{{"tx", "coord.0.1"}});
    v.feed(c, 13, "executed", p, Json{{"tx", "coord.0.1"}, {"ok", true}});
    v.feed(c, 20, "vote", p, Json{{"tx", "coord.0.1"}, {"vote", "yes"}, {"forced", true}});
  }
}

Json outcome(const std::string& o, Json deltas, const std::string& via = "coordinator") {
  return Json{{"tx", "coord.0.1"}, {"outcome", o}, {"via", via}, {"deltas", std::move(deltas)}, {"hops", 3}, {"forces", 3}};
}

// A check made alone (make_ledger_check without a shared ledger) is shown only its own
// kinds, as in a run, where the checks share one ledger; its own keeper is shown the
// ledger's, so what it reads of the ledger is up to date.
class OutcomesOnly final : public LedgerChecker {
 public:
  OutcomesOnly(std::vector<std::string>* seen, std::shared_ptr<SharedTxLedger> ledger)
      : LedgerChecker(std::move(ledger)), seen_(seen) {}
  std::string_view name() const override { return "outcomes_only"; }
  std::vector<const PayloadKind*> own_event_kinds() const override { return kinds_of<ev::OutcomeApplied>(); }
  void observe(const Observation& o, CheckerView&) override {
    const TxLedger::Txn* t = ledger_.find(update_ledger(o).tx);
    seen_->push_back(std::string(o.event) + (t != nullptr ? " of " + std::to_string(t->participants.size()) : ""));
  }

 private:
  std::vector<std::string>* seen_;
};

TEST(LedgerCheck, MadeAloneItIsShownOnlyItsOwnKinds) {
  FakeView v;
  std::vector<std::string> seen;
  auto c = make_ledger_check<OutcomesOnly>(nullptr, &seen);
  begin_and_prepare(v, *c);
  v.fault(*c, 25, "p2", "crash");
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  // One outcome, of a transaction with two participants: the keeper saw its tx_begin.
  EXPECT_EQ(seen, std::vector<std::string>{"outcome of 2"});
}

TEST(AtomicityCheck, ReportsCommitHereAbortThereWithNodesAndTime) {
  FakeView v;
  auto c = make_atomicity_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  EXPECT_TRUE(v.violations.empty());
  v.feed(*c, 40, "outcome", v.p2, outcome("abort", Json::object(), "heuristic"));
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].check, "atomicity");
  EXPECT_EQ(v.violations[0].at, Instant{Duration::millis(40).ns});
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p1", "p2"}));
  EXPECT_EQ(v.violations[0].details.at("tx"), "coord.0.1");
}

TEST(AtomicityCheck, AForgottenPromiseCountsAsAbort) {
  FakeView v;
  auto c = make_atomicity_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  v.feed(*c, 31, "crash", v.p2, Json::object(), false);
  v.feed(*c, 40, "restart", v.p2, Json::object(), false);
  v.feed(*c, 40, "recovered", v.p2, Json{{"in_doubt", Json::array()}, {"balances", {{"a1", 100}}}});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details.at("how_aborted").at("p2"), "forgot it in a restart");
}

TEST(AtomicityCheck, AgreementIsQuiet) {
  FakeView v;
  auto c = make_atomicity_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  v.feed(*c, 31, "outcome", v.p2, outcome("commit", {{"a1", 10}}));
  EXPECT_TRUE(v.violations.empty());
}

TEST(CommitValidityCheck, ReportsACommitWithoutEveryYes) {
  FakeView v;
  auto c = make_commit_validity_check();
  v.feed(*c, 10, "tx_begin", v.coord, Json{{"tx", "coord.0.1"}, {"participants", {"p1", "p2"}}, {"writers", {"p1", "p2"}}});
  v.feed(*c, 20, "vote", v.p1, Json{{"tx", "coord.0.1"}, {"vote", "yes"}});
  v.feed(*c, 21, "vote", v.p2, Json{{"tx", "coord.0.1"}, {"vote", "no"}});
  v.feed(*c, 30, "decision", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"to", {"p1"}}});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"coord", "p2"}));
  EXPECT_EQ(v.violations[0].details.at("votes").at("p2"), "no");
}

TEST(CommitValidityCheck, IgnoresAPresumedAnswerToAParticipantAlreadyDecided) {
  FakeView v;
  auto c = make_commit_validity_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "vote", v.p2, Json{{"tx", "coord.0.2"}, {"vote", "no"}});
  v.feed(*c, 31, "outcome", v.p1, outcome("abort", Json::object()));
  v.feed(*c, 40, "answer", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"presumed", true}, {"to", {"p1"}}});
  EXPECT_TRUE(v.violations.empty());
}

TEST(DecisionStableCheck, ReportsAChangedAnswerToAWaitingParticipant) {
  FakeView v;
  auto c = make_decision_stable_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 25, "decision", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"to", {"p1", "p2"}}});
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  v.feed(*c, 50, "answer", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "abort"}, {"presumed", true}, {"to", {"p1"}}});
  EXPECT_TRUE(v.violations.empty());  // p1 already knows: a stale inquiry
  v.feed(*c, 60, "answer", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "abort"}, {"presumed", true}, {"to", {"p2"}}});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"coord", "p2"}));
}

TEST(DecisionStableCheck, ReportsARestartThatLostASentDecision) {
  FakeView v;
  auto c = make_decision_stable_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 25, "decision", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"to", {"p1", "p2"}}});
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  v.feed(*c, 100, "recovered", v.coord,
         Json{{"decisions", Json::object()}, {"collecting", Json::array()}, {"presumption", "abort"}});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details.at("in_doubt"), Json::array({"p2"}));
  EXPECT_EQ(v.violations[0].details.at("would_answer"), "abort");
}

TEST(DecisionStableCheck, ARestartThatStillKnowsIsQuiet) {
  FakeView v;
  auto c = make_decision_stable_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 25, "decision", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"to", {"p1", "p2"}}});
  v.feed(*c, 100, "recovered", v.coord,
         Json{{"decisions", {{"coord.0.1", "commit"}}}, {"collecting", Json::array()}, {"presumption", "abort"}});
  v.feed(*c, 101, "resend", v.coord, Json{{"tx", "coord.0.1"}, {"outcome", "commit"}, {"to", {"p1", "p2"}}});
  EXPECT_TRUE(v.violations.empty());
}

TEST(PreparedDurableCheck, ReportsAYesVoteForgottenInARestartButNotLostWork) {
  FakeView v;
  auto c = make_prepared_durable_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 21, "work", v.p1, Json{{"tx", "coord.0.2"}});  // executing only: may be lost
  v.feed(*c, 40, "recovered", v.p1, Json{{"in_doubt", {"coord.0.1"}}, {"balances", {{"a0", 100}}}});
  EXPECT_TRUE(v.violations.empty());
  v.feed(*c, 50, "recovered", v.p2, Json{{"in_doubt", Json::array()}, {"balances", {{"a1", 100}}}});
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p2", "coord"}));
  EXPECT_EQ(v.violations[0].details.at("tx"), "coord.0.1");
}

TEST(ConservationCheck, ExcusesInFlightButNotHalfAppliedTransfers) {
  FakeView v;
  auto c = make_conservation_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  EXPECT_TRUE(v.violations.empty());  // p2 still prepared: in flight
  v.feed(*c, 40, "outcome", v.p2, outcome("abort", Json::object()));
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details.at("committed_total"), 190);
  EXPECT_EQ(v.violations[0].details.at("expected"), 200);
  EXPECT_EQ(v.violations[0].details.at("tx"), "coord.0.1");
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p2", "p1"}));
}

TEST(ConservationCheck, ReportsCommittedMoneyLostInARestartAndABadAudit) {
  FakeView v;
  auto c = make_conservation_check();
  begin_and_prepare(v, *c);
  v.feed(*c, 30, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  v.feed(*c, 31, "outcome", v.p2, outcome("commit", {{"a1", 10}}));
  v.feed(*c, 35, "tx_result", v.client, Json{{"tx", "coord.0.5"}, {"outcome", "commit"}, {"audit_total", 200}});
  EXPECT_TRUE(v.violations.empty());
  v.feed(*c, 50, "recovered", v.p2, Json{{"in_doubt", Json::array()}, {"balances", {{"a1", 100}}}});
  ASSERT_EQ(v.violations.size(), 1u);
  auto audit = make_conservation_check();
  FakeView w;
  w.feed(*audit, 0, "open", w.p1, Json{{"balances", {{"a0", 100}}}});
  w.feed(*audit, 35, "tx_result", w.client, Json{{"tx", "coord.0.5"}, {"outcome", "commit"}, {"audit_total", 90}});
  ASSERT_EQ(w.violations.size(), 1u);
  EXPECT_EQ(w.violations[0].details.at("audit_total"), 90);
}

TEST(LivenessCheck, ReportsParticipantsStillInDoubtLongAfterTheFaults) {
  FakeView v;
  auto c = make_liveness_check(Duration::seconds(1));
  begin_and_prepare(v, *c);
  v.feed(*c, 500, "crash", v.coord, Json::object(), false);
  v.feed(*c, 900, "restart", v.coord, Json::object(), false);
  v.set_quiet_since(Instant{Duration::millis(900).ns});
  v.end(*c, 1800);
  EXPECT_TRUE(v.violations.empty());  // only 0.9s of quiet: too soon to judge
  v.end(*c, 3000);
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p1", "p2"}));
  EXPECT_EQ(v.violations[0].details.at("mode"), "faults_healed");
}

TEST(LivenessCheck, WithACoordinatorLeftDownJudgesTheRunningParticipants) {
  FakeView v;
  auto c = make_liveness_check(Duration::seconds(1));
  begin_and_prepare(v, *c);
  v.feed(*c, 22, "crash", v.coord, Json::object(), false);
  v.set_down(v.coord);
  v.set_quiet_since(Instant::max());
  v.end(*c, 3000);
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].details.at("mode"), "nodes_left_down");
  FakeView w;
  auto decided = make_liveness_check(Duration::seconds(1));
  begin_and_prepare(w, *decided);
  w.feed(*decided, 22, "crash", w.coord, Json::object(), false);
  w.feed(*decided, 300, "outcome", w.p1, outcome("commit", {{"a0", -10}}, "peer"));
  w.feed(*decided, 300, "outcome", w.p2, outcome("commit", {{"a1", 10}}, "peer"));
  w.set_down(w.coord);
  w.set_quiet_since(Instant::max());
  w.end(*decided, 3000);
  EXPECT_TRUE(w.violations.empty());
}

TEST(LivenessCheck, ReportsADecisionThatCameTooLateAfterTheFaults) {
  FakeView v;
  auto c = make_liveness_check(Duration::seconds(1));
  begin_and_prepare(v, *c);
  v.set_quiet_since(Instant{Duration::millis(100).ns});
  v.feed(*c, 2000, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p1"}));
}

// Shows each event to several checks in turn, as a run does: one observation, one
// sequence number, every check that chose its kind.
class InTurn final : public Checker {
 public:
  explicit InTurn(std::vector<std::unique_ptr<Checker>> checks) : checks_(std::move(checks)) {}
  std::string_view name() const override { return "in_turn"; }
  void observe(const Observation& o, CheckerView& view) override {
    for (auto& c : checks_) {
      if (dsim::testing::FakeCheckerView::shown(*c, o)) c->observe(o, view);
    }
  }
  void write_metrics(Json& out) const override {
    for (const auto& c : checks_) {
      Json m = Json::object();
      c->write_metrics(m);
      out[std::string(c->name())] = m;
    }
  }

 private:
  std::vector<std::unique_ptr<Checker>> checks_;
};

// The keeper goes first, so it applies each event to the shared ledger before any check
// sees it; liveness and metrics must still judge by a participant's state before its
// outcome (the Update's prior). Checks made alone each keep a ledger of their own.
TEST(SharedTxLedger, ChecksSeeTheStateBeforeTheEvent) {
  for (bool shared : {true, false}) {
    FakeView v;
    auto ledger = shared ? std::make_shared<SharedTxLedger>() : nullptr;
    std::vector<std::unique_ptr<Checker>> checks;
    if (shared) checks.push_back(make_ledger_keeper(ledger));
    checks.push_back(make_atomicity_check(ledger));
    checks.push_back(make_liveness_check(Duration::seconds(1), ledger));
    checks.push_back(make_metrics_observer(ledger));
    InTurn all(std::move(checks));
    begin_and_prepare(v, all);
    v.set_quiet_since(Instant{Duration::millis(100).ns});
    v.feed(all, 2000, "outcome", v.p1, outcome("commit", {{"a0", -10}}));
    ASSERT_EQ(v.violations.size(), 1u) << (shared ? "shared" : "own ledgers");
    EXPECT_EQ(v.violations[0].check, "liveness");
    EXPECT_EQ(v.violations[0].nodes, std::vector<std::string>({"p1"}));
    v.feed(all, 2001, "outcome", v.p2, outcome("abort", Json::object(), "heuristic"));
    ASSERT_EQ(v.violations.size(), 2u);
    EXPECT_EQ(v.violations[1].check, "atomicity");
    Json m = Json::object();
    all.write_metrics(m);
    // Both were prepared until their outcome: two in-doubt periods, of 1980 and 1981 ms.
    EXPECT_EQ(m.at("metrics").at("in_doubt_ns").at("count"), 2);
    EXPECT_EQ(m.at("metrics").at("in_doubt_ns").at("max"), Duration::millis(1981).ns);
  }
}

// Indexes are given in the order ids first appear and never change: an id far beyond its
// coordinator incarnation's array (kept in the hash map) keeps its index once the array
// grows past it.
TEST(TxLedger, IndexesStayPutWhetherArrayOrMap) {
  TxLedger l;
  auto id = [](NodeId coordinator, uint32_t incarnation, uint64_t seq) {
    TxId t;
    t.coordinator = coordinator;
    t.incarnation = incarnation;
    t.seq = seq;
    return t;
  };
  EXPECT_EQ(l.index(id(2, 0, 1)), 0u);
  EXPECT_EQ(l.index(id(2, 0, 1000000)), 1u);
  EXPECT_EQ(l.index(id(2, 1, 1)), 2u);
  EXPECT_EQ(l.index(id(3, 0, 1)), 3u);
  EXPECT_EQ(l.index_of(id(2, 0, 2)), kNoTx);
  TxIndex next = 4;
  for (uint64_t seq = 2; seq <= 1100000; seq += 3000) {
    if (seq == 1000000) continue;
    EXPECT_EQ(l.index(id(2, 0, seq)), next++);
  }
  EXPECT_EQ(l.index_of(id(2, 0, 1000000)), 1u);
  EXPECT_EQ(l.index(id(2, 0, 1000000)), 1u);
  EXPECT_EQ(l.index(id(2, 0, 1)), 0u);
  EXPECT_EQ(l.index(id(2, 1, 1)), 2u);
  EXPECT_EQ(l.index_of(id(3, 0, 1)), 3u);
  EXPECT_EQ(l.indexes(), static_cast<size_t>(next));
  EXPECT_EQ(l.id_of(1), id(2, 0, 1000000));
}

}  // namespace
}  // namespace dsim::twopc::testing
