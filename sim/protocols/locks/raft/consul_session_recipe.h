// The client side of Consul's lock (the `consul lock` / api.Lock recipe) on the Raft lock
// service: a session (here a lease of lease_ttl, renewed every TTL/3), then an acquire of
// the lock key with the session. Refused because another session holds it, or because of
// the lock-delay after an invalidated session: try again after `lock_retry` (Consul's
// client waits on a blocking query for the first and retries for the second; polling
// serves both here). The LockIndex is the fencing token. A session the service reports
// gone, or that lapses by the client's clock (TTL after the renewal that last succeeded
// was sent), loses the lock; release is asked for until confirmed. An acquisition whose
// session went goes on under a new attempt number ("c1/0/3.1"), as a grant it never
// heard of may have died with that session.
// Mistake switch `renew_stop_on_failure`: the first failed renewal (unanswered by the
// next tick, refused, or answered "not leader") stops renewing sessions for good, and
// nobody is told: the holder keeps no deadline of its own (as the Consul API's
// RenewPeriodic returning on an error with nobody watching its result).
// While the lock is held and the worker makes no progress, the session is no longer
// renewed (it lapses and the lock goes to another); `renew_without_worker` renews it
// anyway (a zombie keep-alive).
#pragma once

#include <string>
#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks::raft {

class ConsulSessionRecipe final : public LockRecipe {
 public:
  ConsulSessionRecipe(RecipeListener& listener, const ServiceSettings& settings, std::vector<NodeId> servers);

  void start(Context& ctx) override;
  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  enum class Phase { kIdle, kSession, kAcquire, kHolding };

  NodeId server() const { return servers_[guess_]; }
  void next_server() { guess_ = (guess_ + 1) % servers_.size(); }
  void follow_hint(int64_t leader);
  void send_request(Context& ctx);
  void send_release(Context& ctx);
  void session_gone(Context& ctx);
  void send_renew(Context& ctx);
  // A renewal failed; true if the recipe stopped renewing (renew_stop_on_failure).
  bool renew_failed(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  std::vector<NodeId> servers_;
  size_t guess_ = 0;
  Phase phase_ = Phase::kIdle;
  int64_t req_ = 0;
  int64_t request_ = 0;
  Instant request_sent_;
  TimerId request_timer_ = 0;
  OwnerId owner_id_;
  std::string owner_;    // owner_id_'s string
  int64_t session_ = 0;  // 0: none
  Instant session_deadline_;
  int64_t renew_ = 0;
  bool renew_answered_ = true;
  Instant renew_sent_;
  bool renew_stopped_ = false;  // renew_stop_on_failure: renewing ended
  int64_t abandoned_session_ = 0;  // not renewed: its holder's worker hung
  std::string releasing_;
  int64_t releasing_session_ = 0;
  int64_t release_req_ = 0;
  TimerId release_timer_ = 0;
};

}  // namespace dsim::locks::raft
