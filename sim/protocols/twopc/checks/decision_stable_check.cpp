// A coordinator's decision is final: every later announcement of it (re-send, answer to
// an inquiry) says the same; the decision record it logs says the same; and after a
// restart, what its log (or its presumption) would answer a participant still in doubt
// is still the same. Coordinators only: 3PC and Paxos Commit participants that terminate
// a transaction among themselves are judged by atomicity.
#include <map>
#include <set>

#include "core/json_object.h"
#include "protocols/twopc/checks/checks.h"
#include "protocols/twopc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class DecisionStableCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "decision_stable"; }

  void observe(const Observation& o, CheckerView& view) override {
    update_ledger(o, view);
    if (!o.from_protocol || view.cluster().role(o.node) != "coordinator") return;
    if (o.event == "decision" || o.event == "resend" || o.event == "answer") {
      on_announcement(o, view);
    } else if (o.event == "log") {
      on_log(o, view);
    } else if (o.event == "recovered") {
      on_recovered(o, view);
    }
  }

 private:
  struct Decided {
    std::string outcome;
    Instant at;
  };

  bool undecided(const TxLedger::Txn* t, NodeId p) const {
    if (t == nullptr) return true;
    auto it = t->parts.find(p);
    return it == t->parts.end() || TxLedger::pending(it->second.state) ||
           it->second.state == TxLedger::State::kLost;
  }

  void on_announcement(const Observation& o, CheckerView& view) {
    const std::string id = o.fields().at("tx").get<std::string>();
    const std::string outcome = o.fields().at("outcome").get<std::string>();
    auto it = decided_.find(id);
    if (it == decided_.end()) {
      decided_[id] = Decided{outcome, o.at};
      return;
    }
    if (it->second.outcome == outcome) return;
    // A stale inquiry answered after everyone decided misleads no one.
    std::vector<NodeId> misled;
    const TxLedger::Txn* t = ledger_.find(id);
    for (const Json& n : o.fields().value("to", Json::array())) {
      NodeId p = *view.cluster().find(n.get<std::string>());
      if (o.event != "answer" || undecided(t, p)) misled.push_back(p);
    }
    if (o.event == "answer" && misled.empty()) return;
    std::string how = o.event == "answer" && o.fields().value("presumed", false)
                          ? "answered " + outcome + " by presumption (no record left)"
                          : "announced " + outcome;
    report(view, id, o.node, misled,
           view.cluster().name(o.node) + " " + how + " for transaction " + id + " after deciding " +
               it->second.outcome + " at " + format_duration(Duration{it->second.at.ns}),
           json_object("tx", id,
                       "first", it->second.outcome,
                       "now", outcome,
                       "event", std::string(o.event)));
  }

  void on_log(const Observation& o, CheckerView& view) {
    const std::string rec = o.fields().at("rec").get<std::string>();
    if (rec != "commit" && rec != "abort") return;
    const std::string id = o.fields().at("tx").get<std::string>();
    auto it = decided_.find(id);
    if (it == decided_.end() || it->second.outcome == rec) return;
    report(view, id, o.node, {},
           view.cluster().name(o.node) + " logged " + rec + " for transaction " + id + " but sent " +
               it->second.outcome,
           json_object("tx", id, "sent", it->second.outcome, "logged", rec));
  }

  void on_recovered(const Observation& o, CheckerView& view) {
    const Json& decisions = o.fields().at("decisions");
    std::set<std::string> collecting;
    for (const Json& id : o.fields().at("collecting")) collecting.insert(id.get<std::string>());
    const std::string presumption = o.fields().at("presumption").get<std::string>();
    for (const auto& [id, d] : decided_) {
      const TxLedger::Txn* t = ledger_.find(id);
      if (t == nullptr || t->coordinator != o.node) continue;
      std::vector<NodeId> waiting;
      for (const auto& [p, part] : t->parts) {
        if (part.state == TxLedger::State::kPrepared) waiting.push_back(p);
      }
      if (waiting.empty()) continue;
      std::string would;
      if (decisions.contains(id)) {
        would = decisions.at(id).get<std::string>();
      } else if (collecting.count(id) != 0) {
        would = "abort";
      } else if (presumption != "none") {
        would = presumption;
      }
      if (would.empty() || would == d.outcome) continue;
      report(view, id, o.node, waiting,
             view.cluster().name(o.node) + " restarted without its " + d.outcome + " decision for transaction " +
                 id + " (sent at " + format_duration(Duration{d.at.ns}) + "); " +
                 node_list(view.cluster(), waiting) + ", still in doubt, would now be told " + would,
             json_object("tx", id,
                         "decided", d.outcome,
                         "would_answer", would,
                         "in_doubt", node_names(view.cluster(), waiting)));
    }
  }

  void report(CheckerView& view, const std::string& id, NodeId coordinator, const std::vector<NodeId>& others,
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

  std::map<std::string, Decided> decided_;
  std::set<std::string> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_decision_stable_check(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<DecisionStableCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
