// Tokens strictly increase: each lock server's tokens grow with every grant it makes,
// across its own crashes and restarts; and the lock's tokens (GrantLedger's: for
// Redlock, the largest of the majority's) grow in grant order. A token that goes back
// is how a fenced resource ends up rejecting the rightful holder, or accepting a stale
// one. Grants without tokens (the naive lock without fencing) are not judged.
#pragma once

#include <map>

#include "protocols/locks/checks/grant_ledger.h"

namespace dsim::locks {

class TokenOrderCheck final : public Checker {
 public:
  // `ledger`: the run's, shared with its other checks; with none it keeps its own.
  explicit TokenOrderCheck(size_t quorum, std::shared_ptr<SharedGrantLedger> ledger = nullptr)
      : shared_(ledger ? std::move(ledger) : std::make_shared<SharedGrantLedger>(quorum)) {}
  std::string_view name() const override { return "token_order"; }
  void observe(const Observation& o, CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  struct LastGrant {
    std::string owner;
    std::string client;
    int64_t token;
  };
  void check_server(const Observation& o, const events::Grant& grant, CheckerView& view);
  void check_lock(const LockGrant& g, CheckerView& view);

  std::shared_ptr<SharedGrantLedger> shared_;
  LockServers lock_servers_;
  std::map<NodeId, LastGrant> last_by_server_;
  std::optional<LockGrant> last_lock_grant_;
  uint64_t tokens_seen_ = 0;
};

}  // namespace dsim::locks
