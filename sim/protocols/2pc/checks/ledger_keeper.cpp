// The ledger's keepers: the run's shared ledger is updated once per event, by its keeper,
// before any check reads it, whichever set of checks is enabled (no check carries it).
#include <algorithm>
#include <vector>

#include "check/chosen_kinds.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

// A check made alone, with the keeper of a ledger of its own in front.
class WithOwnKeeper final : public Checker {
 public:
  WithOwnKeeper(std::unique_ptr<Checker> keeper, std::unique_ptr<Checker> check)
      : keeper_(std::move(keeper)), check_(std::move(check)), check_kinds_(check_->event_kinds()) {}

  std::string_view name() const override { return check_->name(); }
  // The check's kinds and the ledger's, so that its ledger sees all of them, in order.
  std::vector<const PayloadKind*> event_kinds() const override {
    std::vector<const PayloadKind*> kinds = check_->event_kinds();
    if (kinds.empty()) return kinds;  // every event
    for (const PayloadKind* k : keeper_->event_kinds()) {
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    }
    return kinds;
  }
  // The keeper every event it is shown; the check only those of its own kinds, as a run
  // with a shared ledger shows it (check/chosen_kinds.h).
  void observe(const Observation& o, CheckerView& view) override {
    keeper_->observe(o, view);
    if (kind_is_chosen(check_kinds_, o)) check_->observe(o, view);
  }
  bool wants_network_events() const override { return check_->wants_network_events(); }
  void observe_network(const NetworkEvent& e, CheckerView& view) override { check_->observe_network(e, view); }
  void stopped(CheckerView& view) override { check_->stopped(view); }
  void finish(CheckerView& view) override { check_->finish(view); }
  void write_metrics(Json& out) const override { check_->write_metrics(out); }

 private:
  std::unique_ptr<Checker> keeper_, check_;
  std::vector<const PayloadKind*> check_kinds_;  // the check's own (empty: every event)
};

}  // namespace

std::unique_ptr<Checker> make_ledger_keeper(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<LedgerKeeper>(std::move(ledger));
}

std::unique_ptr<Checker> with_own_keeper(std::unique_ptr<Checker> keeper, std::unique_ptr<Checker> check) {
  return std::make_unique<WithOwnKeeper>(std::move(keeper), std::move(check));
}

}  // namespace dsim::twopc
