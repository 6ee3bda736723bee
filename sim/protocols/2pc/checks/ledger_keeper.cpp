// The ledger's own subscriber: the run's shared ledger is updated once per event, by this,
// before any check reads it, whichever set of checks is enabled (no check carries it).
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class LedgerKeeper final : public Checker {
 public:
  explicit LedgerKeeper(std::shared_ptr<SharedTxLedger> ledger) : shared_(std::move(ledger)) { shared_->set_kept(); }
  std::string_view name() const override { return "tx_ledger"; }
  std::vector<const PayloadKind*> event_kinds() const override { return TxLedger::event_kinds(); }
  void observe(const Observation& o, CheckerView&) override { shared_->keep(o); }

 private:
  std::shared_ptr<SharedTxLedger> shared_;
};

}  // namespace

std::unique_ptr<Checker> make_ledger_keeper(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<LedgerKeeper>(std::move(ledger));
}

}  // namespace dsim::twopc
