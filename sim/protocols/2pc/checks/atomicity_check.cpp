// Atomicity: every participant of a transaction reaches the same outcome. Judged each
// time a participant decides or a restart makes one forget its part.
#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class AtomicityCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "atomicity"; }
  // An outcome, and a restart that forgets (u.forgotten).
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::OutcomeApplied, ev::ParticipantRecovered>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (u.txn != nullptr && o.as<ev::OutcomeApplied>() != nullptr) judge(*u.txn, view);
    for (TxIndex i : u.forgotten) judge(*ledger_.find(i), view);
  }

 private:
  void judge(const TxLedger::Txn& t, CheckerView& view) {
    // Most judgements find agreement: look before building any list.
    bool any_committed = false, any_aborted = false;
    for (const auto& [node, part] : t.parts) {
      any_committed |= part.committed_ever;
      any_aborted |= part.aborted_ever;
    }
    if (any_committed && any_aborted && reported_.get(t.index) == 0) report(t, view);
  }

  [[gnu::cold, gnu::noinline]] void report(const TxLedger::Txn& t, CheckerView& view) {
    reported_[t.index] = 1;
    std::vector<NodeId> committed, aborted;
    for (const auto& [node, part] : t.parts) {
      if (part.committed_ever) committed.push_back(node);
      if (part.aborted_ever) aborted.push_back(node);
    }
    const Cluster& c = view.cluster();
    Json how = Json::object();
    for (NodeId n : aborted) {
      const TxLedger::Part& p = *t.part(n);
      how[c.name(n)] = p.state == TxLedger::State::kLost ? "forgot it in a restart" : "aborted via " + std::string(p.via);
    }
    Violation v;
    v.check = "atomicity";
    v.at = view.now();
    v.nodes = node_names(c, committed);
    for (NodeId n : aborted) v.nodes.push_back(c.name(n));
    v.message = "transaction " + t.id.str() + " committed at " + node_list(c, committed) + " but aborted at " +
                node_list(c, aborted);
    v.details = json_object("tx", t.id.str(),
                            "committed_at", node_names(c, committed),
                            "aborted_at", node_names(c, aborted),
                            "how_aborted", how);
    view.report(std::move(v));
  }

  PerTx<char> reported_;
};

}  // namespace

std::unique_ptr<Checker> make_atomicity_check(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<AtomicityCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
