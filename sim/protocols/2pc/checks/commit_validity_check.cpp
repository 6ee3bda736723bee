// Commit validity: nobody announces or applies a commit unless every participant of the
// transaction voted yes (or read-only). Judged at every commit announcement (decision,
// re-send, answer to an inquiry from a participant still waiting) and every
// participant's commit.
#include <optional>

#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class CommitValidityCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "commit_validity"; }
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::OutcomeApplied, ev::Decision, ev::Resend, ev::Answer>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (!o.from_protocol) return;
    // The commit announcements and applications: which transaction, and for an answer to
    // an inquiry, whom it told and whether by presumption.
    const ev::Answer* answer = nullptr;
    if (const auto* e = o.as<ev::OutcomeApplied>()) {
      if (e->outcome != Outcome::kCommit) return;
    } else if (const auto* e = o.as<ev::Decision>()) {
      if (e->outcome != Outcome::kCommit) return;
    } else if (const auto* e = o.as<ev::Resend>()) {
      if (e->outcome != Outcome::kCommit) return;
    } else if ((answer = o.as<ev::Answer>()) != nullptr) {
      if (answer->outcome != Outcome::kCommit) return;
    } else {
      return;
    }
    const TxLedger::Txn* t = u.txn != nullptr ? u.txn : ledger_.find(u.tx);
    if (t == nullptr || reported_.get(t->index) != 0) return;
    if (answer != nullptr && !misleads(*t, answer->to)) return;
    for (NodeId p : t->participants) {
      std::optional<VoteValue> vote = vote_of(*t, p);
      if (vote != VoteValue::kYes && vote != VoteValue::kReadOnly) {
        report(o, *t, answer, view);
        return;
      }
    }
  }

 private:
  [[gnu::cold, gnu::noinline]] void report(const Observation& o, const TxLedger::Txn& t, const ev::Answer* answer,
                                           CheckerView& view) {
    std::vector<NodeId> missing;
    for (NodeId p : t.participants) {
      std::optional<VoteValue> vote = vote_of(t, p);
      if (vote != VoteValue::kYes && vote != VoteValue::kReadOnly) missing.push_back(p);
    }
    Json votes = Json::object();
    for (NodeId p : t.participants) {
      std::optional<VoteValue> vote = vote_of(t, p);
      votes[view.cluster().name(p)] = vote ? to_string(*vote) : "none";
    }
    reported_[t.index] = 1;
    const Cluster& c = view.cluster();
    Violation v;
    v.check = "commit_validity";
    v.at = view.now();
    v.nodes = {c.name(o.node)};
    for (NodeId n : missing) v.nodes.push_back(c.name(n));
    std::string how = std::string(o.event) + (answer != nullptr && answer->presumed ? " (presumed)" : "");
    v.message = c.name(o.node) + " committed transaction " + t.id.str() + " (" + how + ") though " +
                node_list(c, missing) + " did not vote yes";
    v.details = json_object("tx", t.id.str(),
                            "by", c.name(o.node),
                            "event", std::string(o.event),
                            "votes", votes);
    view.report(std::move(v));
  }

  static std::optional<VoteValue> vote_of(const TxLedger::Txn& t, NodeId p) {
    const TxLedger::Part* part = t.part(p);
    return part == nullptr ? std::nullopt : part->vote;
  }

  // An answer to a stale inquiry, from a participant that has decided meanwhile, changes
  // nothing (it ignores the answer): only answers to participants still waiting count.
  static bool misleads(const TxLedger::Txn& t, NodeId to) {
    const TxLedger::Part* p = t.part(to);
    return p != nullptr && TxLedger::pending(p->state);
  }

  PerTx<char> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_commit_validity_check(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<CommitValidityCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
