// Commit validity: nobody announces or applies a commit unless every participant of the
// transaction voted yes (or read-only). Judged at every commit announcement (decision,
// re-send, answer to an inquiry from a participant still waiting) and every
// participant's commit.
#include <set>

#include "core/json_object.h"
#include "protocols/twopc/checks/checks.h"
#include "protocols/twopc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class CommitValidityCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "commit_validity"; }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o, view);
    if (!o.from_protocol) return;
    bool commit_event = o.event == "decision" || o.event == "resend" || o.event == "answer" ||
                        o.event == "outcome";
    if (!commit_event || o.fields().value("outcome", "") != "commit") return;
    const TxLedger::Txn* t = u.txn != nullptr ? u.txn : ledger_.find(o.fields().at("tx").get<std::string>());
    if (t == nullptr || reported_.count(t->id) != 0) return;
    if (o.event == "answer" && !misleads_someone(*t, o, view)) return;
    std::vector<NodeId> missing;
    for (NodeId p : t->participants) {
      const std::string& vote = vote_of(*t, p);
      if (vote != "yes" && vote != "read_only") missing.push_back(p);
    }
    if (missing.empty()) return;
    Json votes = Json::object();
    for (NodeId p : t->participants) {
      const std::string& vote = vote_of(*t, p);
      votes[view.cluster().name(p)] = vote.empty() ? "none" : vote;
    }
    reported_.insert(t->id);
    const Cluster& c = view.cluster();
    Violation v;
    v.check = "commit_validity";
    v.at = view.now();
    v.nodes = {c.name(o.node)};
    for (NodeId n : missing) v.nodes.push_back(c.name(n));
    std::string how = std::string(o.event) + (o.fields().value("presumed", false) ? " (presumed)" : "");
    v.message = c.name(o.node) + " committed transaction " + t->id + " (" + how + ") though " +
                node_list(c, missing) + " did not vote yes";
    v.details = json_object("tx", t->id,
                            "by", c.name(o.node),
                            "event", std::string(o.event),
                            "votes", votes);
    view.report(std::move(v));
  }

 private:
  static const std::string& vote_of(const TxLedger::Txn& t, NodeId p) {
    static const std::string kNone;
    auto it = t.parts.find(p);
    return it == t.parts.end() ? kNone : it->second.vote;
  }

  // An answer to a stale inquiry, from a participant that has decided meanwhile, changes
  // nothing (it ignores the answer): only answers to participants still waiting count.
  static bool misleads_someone(const TxLedger::Txn& t, const Observation& o, CheckerView& view) {
    for (const Json& n : o.fields().value("to", Json::array())) {
      auto p = t.parts.find(*view.cluster().find(n.get<std::string>()));
      if (p != t.parts.end() && TxLedger::pending(p->second.state)) return true;
    }
    return false;
  }

  std::set<std::string> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_commit_validity_check(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<CommitValidityCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
