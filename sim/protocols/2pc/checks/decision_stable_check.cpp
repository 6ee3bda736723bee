// A coordinator's decision is final: every later announcement of it (re-send, answer to
// an inquiry) says the same; the decision record it logs says the same; and after a
// restart, what its log (or its presumption) would answer a participant still in doubt
// is still the same. Coordinators only: 3PC and Paxos Commit participants that terminate
// a transaction among themselves are judged by atomicity.
#include <map>
#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <span>
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

  void observe(const Observation& o, CheckerView& view) override {
    update_ledger(o, view);
    if (!o.from_protocol) return;
    if (const auto* e = o.as<ev::Log>()) {
      if (is_coordinator(o.node, view)) on_log(o, *e, view);
    } else if (const auto* e = o.as<ev::Decision>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, e->tx, e->outcome, e->to, nullptr, view);
    } else if (const auto* e = o.as<ev::Resend>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, e->tx, e->outcome, e->to, nullptr, view);
    } else if (const auto* e = o.as<ev::Answer>()) {
      if (is_coordinator(o.node, view)) on_announcement(o, e->tx, e->outcome, std::span(&e->to, 1), e, view);
    } else if (const auto* e = o.as<ev::CoordinatorRecovered>()) {
      if (is_coordinator(o.node, view)) on_recovered(o, *e, view);
    }
  }

 private:
  struct Decided {
    Outcome outcome;
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
    auto it = t->parts.find(p);
    return it == t->parts.end() || TxLedger::pending(it->second.state) ||
           it->second.state == TxLedger::State::kLost;
  }

  // `answer`: the event, when it is an answer to an inquiry.
  void on_announcement(const Observation& o, const TxId& tx, Outcome outcome, std::span<const NodeId> to,
                       const ev::Answer* answer, CheckerView& view) {
    auto [it, first_time] = decided_.try_emplace(tx, Decided{outcome, o.at});
    if (first_time) return;
    if (it->second.outcome == outcome) return;
    const TxId& id = it->first;
    // A stale inquiry answered after everyone decided misleads no one.
    std::vector<NodeId> misled;
    const TxLedger::Txn* t = ledger_.find(id);
    for (NodeId p : to) {
      if (answer == nullptr || undecided(t, p)) misled.push_back(p);
    }
    if (answer != nullptr && misled.empty()) return;
    const std::string now = to_string(outcome);
    const std::string first = to_string(it->second.outcome);
    std::string how = answer != nullptr && answer->presumed ? "answered " + now + " by presumption (no record left)"
                                                            : "announced " + now;
    report(view, id, o.node, misled,
           view.cluster().name(o.node) + " " + how + " for transaction " + id.str() + " after deciding " + first +
               " at " + format_duration(Duration{it->second.at.ns}),
           json_object("tx", id.str(),
                       "first", first,
                       "now", now,
                       "event", std::string(o.event)));
  }

  void on_log(const Observation& o, const ev::Log& e, CheckerView& view) {
    if (e.rec != "commit" && e.rec != "abort") return;
    auto it = decided_.find(e.tx);
    if (it == decided_.end() || to_string(it->second.outcome) == e.rec) return;
    const TxId& id = it->first;
    const std::string rec(e.rec);
    report(view, id, o.node, {},
           view.cluster().name(o.node) + " logged " + rec + " for transaction " + id.str() + " but sent " +
               to_string(it->second.outcome),
           json_object("tx", id.str(), "sent", to_string(it->second.outcome), "logged", rec));
  }

  void on_recovered(const Observation& o, const ev::CoordinatorRecovered& e, CheckerView& view) {
    std::unordered_map<TxId, Outcome, TxIdHash> decisions;
    for (const auto& [id, outcome] : *e.decisions) decisions.emplace(id, outcome);
    const std::vector<TxId>& collecting = *e.collecting;
    const std::string_view presumption = e.presumption;
    std::vector<const TxId*> ids;  // in text order
    for (const auto& [id, d] : decided_) ids.push_back(&id);
    std::sort(ids.begin(), ids.end(), [](const TxId* a, const TxId* b) { return TxId::text_less(*a, *b); });
    for (const TxId* key : ids) {
      const TxId& id = *key;
      const Decided& d = decided_.at(id);
      const TxLedger::Txn* t = ledger_.find(id);
      if (t == nullptr || t->coordinator != o.node) continue;
      std::vector<NodeId> waiting;
      for (const auto& [p, part] : t->parts) {
        if (part.state == TxLedger::State::kPrepared) waiting.push_back(p);
      }
      if (waiting.empty()) continue;
      std::string would;
      if (auto it = decisions.find(id); it != decisions.end()) {
        would = to_string(it->second);
      } else if (std::find(collecting.begin(), collecting.end(), id) != collecting.end()) {
        would = "abort";
      } else if (presumption != "none") {
        would = std::string(presumption);
      }
      const std::string decided = to_string(d.outcome);
      if (would.empty() || would == decided) continue;
      report(view, id, o.node, waiting,
             view.cluster().name(o.node) + " restarted without its " + decided + " decision for transaction " +
                 id.str() + " (sent at " + format_duration(Duration{d.at.ns}) + "); " +
                 node_list(view.cluster(), waiting) + ", still in doubt, would now be told " + would,
             json_object("tx", id.str(),
                         "decided", decided,
                         "would_answer", would,
                         "in_doubt", node_names(view.cluster(), waiting)));
    }
  }

  void report(CheckerView& view, const TxId& id, NodeId coordinator, const std::vector<NodeId>& others,
              std::string message, Json details) {
    if (!reported_.insert(id).second) return;
    Violation v;
    v.check = "decision_stable";
    v.at = view.now();
    v.nodes = {view.cluster().name(coordinator)};
    for (NodeId n : others) v.nodes.push_back(view.cluster().name(n));
    v.message = std::move(message);
    v.details = std::move(details);
    view.report(std::move(v));
  }

  std::unordered_map<TxId, Decided, TxIdHash> decided_;  // walked only in text order (sorted)
  std::vector<bool> coordinator_;  // by node id
  std::unordered_set<TxId, TxIdHash> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_decision_stable_check(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<DecisionStableCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
