// Exclusion at the resource: once the resource has accepted a write made under some
// lock grant, it must never accept one made under an earlier grant — nor one from an
// owner the servers never granted the lock at all. Grant order is the servers' (see
// GrantLedger), judged in the simulator's global time.
//
// A write made under a grant that a later grant has superseded, accepted before any
// write of the later holder reached the resource, is counted (late_writes_accepted)
// but not reported: the resource still saw the holders one after the other, which is
// all a fencing token can promise. The violation is the interleaving: a stale write
// accepted after a newer holder's. Stale writes the resource rejected are fencing at
// work and are counted apart.
#pragma once

#include <optional>

#include "protocols/locks/checks/grant_ledger.h"

namespace dsim::locks {

class ExclusionCheck final : public Checker {
 public:
  // `ledger`: the run's, shared with its other checks; with none it keeps its own.
  explicit ExclusionCheck(size_t quorum, std::shared_ptr<SharedGrantLedger> ledger = nullptr)
      : shared_(ledger ? std::move(ledger) : std::make_shared<SharedGrantLedger>(quorum)) {}
  std::string_view name() const override { return "exclusion"; }
  void observe(const Observation& o, CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  void accepted(const Observation& o, const events::WriteAccepted& w, CheckerView& view);
  void rejected(const events::WriteRejected& w);
  // Reports an accepted write made under no grant (g null) or under a superseded one.
  void report(const Observation& o, const events::WriteAccepted& w, const LockGrant* g, CheckerView& view);

  std::shared_ptr<SharedGrantLedger> shared_;
  const GrantLedger& ledger_ = shared_->ledger();
  // The order of the latest grant the resource accepted a write under (GrantLedger::grant).
  std::optional<int64_t> newest_written_;
  uint64_t writes_accepted_ = 0;
  uint64_t stale_accepted_ = 0;
  uint64_t ungranted_accepted_ = 0;
  uint64_t late_accepted_ = 0;
  uint64_t stale_rejected_ = 0;
  uint64_t ungranted_rejected_ = 0;
  uint64_t valid_rejected_ = 0;
};

}  // namespace dsim::locks
