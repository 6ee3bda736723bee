// A participant that voted yes has promised to commit if told to: after a restart it
// must still be prepared (or know the outcome). Judged at each participant's recovery.
#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class PreparedDurableCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "prepared_durable"; }
  // A restart that forgets (u.forgotten).
  std::vector<const PayloadKind*> own_event_kinds() const override { return kinds_of<ev::ParticipantRecovered>(); }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    for (TxIndex i : u.forgotten) {
      const TxLedger::Txn& t = *ledger_.find(i);
      const TxId& id = t.id;
      const TxLedger::Part& p = *t.part(o.node);
      if (!TxLedger::promised(p)) continue;
      const Cluster& c = view.cluster();
      Violation v;
      v.check = "prepared_durable";
      v.at = view.now();
      v.nodes = {c.name(o.node)};
      if (t.coordinator != kNoNode) v.nodes.push_back(c.name(t.coordinator));
      v.message = c.name(o.node) + " voted yes on transaction " + id.str() + " at " +
                  format_duration(Duration{p.prepared_at.ns}) +
                  " but restarted without it: its prepared state was not durable";
      v.details = json_object("tx", id.str(),
                              "participant", c.name(o.node),
                              "voted_yes_at_ns", p.prepared_at.ns);
      view.report(std::move(v));
    }
  }

 private:
};

}  // namespace

std::unique_ptr<Checker> make_prepared_durable_check(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<PreparedDurableCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
