// A coordinator's decision is final: every later announcement of it (re-send, answer to
// an inquiry) says the same; the decision record it logs says the same; and after a
// restart, what its log (or its presumption) would answer a participant still in doubt
// is still the same. Coordinators only: 3PC and Paxos Commit participants that terminate
// a transaction among themselves are judged by atomicity.
#include <algorithm>
#include <span>
#include <vector>
#include <string_view>

#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class DecisionStableCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "decision_stable"; }
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::Log, ev::Decision, ev::Resend, ev::Answer, ev::CoordinatorRecovered>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (!o.from_protocol) return;
    if (const auto* e = o.as<ev::Log>()) {
      if (is_coordinator(o.node, view)) on_log(o, u.tx, *e, view);
    } else if (const auto* e = o.as<ev::Decision>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, u.tx, e->outcome, e->to, nullptr, view);
    } else if (const auto* e = o.as<ev::Resend>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, u.tx, e->outcome, e->to, nullptr, view);
    } else if (const auto* e = o.as<ev::Answer>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, u.tx, e->outcome, std::span(&e->to, 1), e, view);
    } else if (const auto* e = o.as<ev::CoordinatorRecovered>()) {
      if (is_coordinator(o.node, view)) on_recovered(o, *e, view);
    }
  }

 private:
  struct Decided {
    bool known = false;  // announced at least once
    Outcome outcome = Outcome::kAbort;
    Instant at;
  };

  bool is_coordinator(NodeId n, CheckerView& view) {
    if (coordinator_.empty()) {
      const Cluster& c = view.cluster();
      coordinator_.resize(c.size());
      for (NodeId i = 0; i < c.size(); ++i) coordinator_[i] = c.role(i) == "coordinator";
    }
    return n < coordinator_.size() && coordinator_[n];
  }

  bool undecided(const TxLedger::Txn* t, NodeId p) const {
    if (t == nullptr) return true;
    const TxLedger::Part* part = t->part(p);
    return part == nullptr || TxLedger::pending(part->state) || part->state == TxLedger::State::kLost;
  }

  // `answer`: the event, when it is an answer to an inquiry.
  void on_announcement(const Observation& o, TxIndex i, Outcome outcome, std::span<const NodeId> to,
                       const ev::Answer* answer, CheckerView& view) {
    Decided& d = decided_[i];
    if (!d.known) {
      d = Decided{true, outcome, o.at};
      decided_list_.push_back(i);
      return;
    }
    if (d.outcome != outcome) on_changed(o, i, d, outcome, to, answer, view);
  }

  // A later announcement that differs from the first.
  [[gnu::cold, gnu::noinline]] void on_changed(const Observation& o, TxIndex i, const Decided& d, Outcome outcome,
                                               std::span<const NodeId> to, const ev::Answer* answer,
                                               CheckerView& view) {
    const TxId& id = ledger_.id_of(i);
    // A stale inquiry answered after everyone decided misleads no one.
    std::vector<NodeId> misled;
    const TxLedger::Txn* t = ledger_.find(i);
    for (NodeId p : to) {
      if (answer == nullptr || undecided(t, p)) misled.push_back(p);
    }
    if (answer != nullptr && misled.empty()) return;
    const std::string now = to_string(outcome);
    const std::string first = to_string(d.outcome);
    std::string how = answer != nullptr && answer->presumed ? "answered " + now + " by presumption (no record left)"
                                                            : "announced " + now;
    report(view, i, o.node, misled,
           view.cluster().name(o.node) + " " + how + " for transaction " + id.str() + " after deciding " + first +
               " at " + format_duration(Duration{d.at.ns}),
           json_object("tx", id.str(),
                       "first", first,
                       "now", now,
                       "event", std::string(o.event)));
  }

  void on_log(const Observation& o, TxIndex i, const ev::Log& e, CheckerView& view) {
    if (e.rec != "commit" && e.rec != "abort") return;
    const Decided& d = decided_.get(i);
    if (d.known && to_string(d.outcome) != e.rec) report_logged(o, i, d, e, view);
  }

  [[gnu::cold, gnu::noinline]] void report_logged(const Observation& o, TxIndex i, const Decided& d, const ev::Log& e,
                                                  CheckerView& view) {
    const TxId& id = ledger_.id_of(i);
    const std::string rec(e.rec);
    report(view, i, o.node, {},
           view.cluster().name(o.node) + " logged " + rec + " for transaction " + id.str() + " but sent " +
               to_string(d.outcome),
           json_object("tx", id.str(), "sent", to_string(d.outcome), "logged", rec));
  }

  void on_recovered(const Observation& o, const ev::CoordinatorRecovered& e, CheckerView& view) {
    // What its log holds, by index: the first decision logged for each (a later one of the
    // same transaction does not replace it), and its collecting records.
    enum : char { kNothing, kCommit, kAbort, kCollecting };
    std::vector<char> logged(ledger_.indexes(), kNothing);
    for (const auto& [id, outcome] : *e.decisions) {
      char& l = logged[ledger_.index_of(id)];
      if (l == kNothing) l = outcome == Outcome::kCommit ? kCommit : kAbort;
    }
    for (const TxId& id : *e.collecting) {
      char& l = logged[ledger_.index_of(id)];
      if (l == kNothing) l = kCollecting;
    }
    const std::string_view presumption = e.presumption;
    // Its transactions with a participant still prepared, in text order (sorting only
    // these: every decided transaction of the run, at each recovery, was a sort of them all).
    std::vector<TxIndex> ids;
    for (TxIndex i : decided_list_) {
      const TxLedger::Txn* t = ledger_.find(i);
      if (t == nullptr || t->coordinator != o.node) continue;
      for (const auto& [p, part] : t->parts) {
        if (part.state == TxLedger::State::kPrepared) {
          ids.push_back(i);
          break;
        }
      }
    }
    std::sort(ids.begin(), ids.end(),
              [this](TxIndex a, TxIndex b) { return TxId::text_less(ledger_.id_of(a), ledger_.id_of(b)); });
    for (TxIndex i : ids) {
      const TxId& id = ledger_.id_of(i);
      const Decided& d = decided_.get(i);
      const TxLedger::Txn* t = ledger_.find(i);
      std::vector<NodeId> waiting;
      for (const auto& [p, part] : t->parts) {
        if (part.state == TxLedger::State::kPrepared) waiting.push_back(p);
      }
      if (waiting.empty()) continue;
      std::string would;
      if (logged[i] == kCommit || logged[i] == kAbort) {
        would = to_string(logged[i] == kCommit ? Outcome::kCommit : Outcome::kAbort);
      } else if (logged[i] == kCollecting) {
        would = "abort";
      } else if (presumption != "none") {
        would = std::string(presumption);
      }
      const std::string decided = to_string(d.outcome);
      if (would.empty() || would == decided) continue;
      report(view, i, o.node, waiting,
             view.cluster().name(o.node) + " restarted without its " + decided + " decision for transaction " +
                 id.str() + " (sent at " + format_duration(Duration{d.at.ns}) + "); " +
                 node_list(view.cluster(), waiting) + ", still in doubt, would now be told " + would,
             json_object("tx", id.str(),
                         "decided", decided,
                         "would_answer", would,
                         "in_doubt", node_names(view.cluster(), waiting)));
    }
  }

  [[gnu::cold, gnu::noinline]] void report(CheckerView& view, TxIndex i, NodeId coordinator,
                                           const std::vector<NodeId>& others, std::string message, Json details) {
    if (reported_[i] != 0) return;
    reported_[i] = 1;
    Violation v;
    v.check = "decision_stable";
    v.at = view.now();
    v.nodes = {view.cluster().name(coordinator)};
    for (NodeId n : others) v.nodes.push_back(view.cluster().name(n));
    v.message = std::move(message);
    v.details = std::move(details);
    view.report(std::move(v));
  }

  PerTx<Decided> decided_;
  std::vector<TxIndex> decided_list_;  // the transactions decided_ knows; walked only in text order (sorted)
  std::vector<bool> coordinator_;  // by node id
  PerTx<char> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_decision_stable_check(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<DecisionStableCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
