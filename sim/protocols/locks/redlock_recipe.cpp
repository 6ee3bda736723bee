#include "protocols/locks/redlock_recipe.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/backoff.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

RedlockRecipe::RedlockRecipe(RecipeListener& listener, const ServiceSettings& settings,
                             const WorkloadSettings& workload, std::vector<NodeId> servers)
    : listener_(listener),
      s_(settings),
      backoff_min_(workload.backoff_min),
      backoff_max_(workload.backoff_max),
      servers_(std::move(servers)),
      watchdog_(settings, servers_, servers_.size() / 2 + 1,
                Duration{static_cast<int64_t>(static_cast<double>(settings.ttl.ns) * settings.drift_factor) +
                         Duration::millis(2).ns}) {}

void RedlockRecipe::acquire(Context& ctx, const OwnerId& owner) {
  base_ = owner;
  base_.attempt = 0;
  retries_ = 0;
  start_attempt(ctx);
}

void RedlockRecipe::start_attempt(Context& ctx) {
  phase_ = Phase::kAsking;
  ++base_.attempt;
  owner_ = base_.str();
  granted_.clear();
  replied_.clear();
  t0_ = ctx.now();
  for (NodeId server : servers_) {
    ctx.send(server, AcquireRequest{owner_, 0, s_.ttl.ns, /*has_req=*/false, /*has_ttl=*/true});
  }
  ctx.cancel_timer(timer_);
  timer_ = ctx.set_timer(s_.request_timeout, LockTimer::kRedlockTimeout, base_.attempt);
}

void RedlockRecipe::decide(Context& ctx) {
  ctx.cancel_timer(timer_);
  Duration margin{static_cast<int64_t>(static_cast<double>(s_.ttl.ns) * s_.drift_factor) +
                  Duration::millis(2).ns};
  Duration elapsed = s_.validity_check_elapsed ? ctx.now() - t0_ : Duration::zero();
  Duration validity = s_.ttl - elapsed - margin;
  if (granted_.size() >= quorum() && validity > Duration::zero()) {
    phase_ = Phase::kHolding;
    valid_until_ = ctx.now() + validity;
    Grant g;
    g.owner = owner_;
    int64_t token = 0;
    for (const auto& [server, t] : granted_) token = std::max(token, t);
    g.token = token;
    g.valid_until = valid_until_;
    watchdog_.start(ctx, owner_);
    listener_.on_granted(ctx, g);
    return;
  }
  ctx.trace(events::AcquireFailed{owner_, granted_.size(), quorum(), validity.ns});
  unlock_all(ctx);
  phase_ = Phase::kBackingOff;
  timer_ = ctx.set_timer(backoff_delay(ctx.rng(), retries_++, backoff_min_, backoff_max_),
                         LockTimer::kRedlockRetry, base_.attempt);
}

void RedlockRecipe::unlock_all(Context& ctx) {
  for (NodeId server : servers_) ctx.send(server, ReleaseRequest{owner_});
}

void RedlockRecipe::release(Context& ctx) {
  watchdog_.hold_ended(ctx);
  if (phase_ == Phase::kIdle) return;
  ctx.cancel_timer(timer_);
  unlock_all(ctx);
  phase_ = Phase::kIdle;
}

bool RedlockRecipe::still_holds(Context& ctx) const {
  return phase_ == Phase::kHolding && ctx.now() < watchdog_.valid_until(valid_until_);
}

bool RedlockRecipe::on_message(Context& ctx, NodeId from, const Message& m) {
  if (watchdog_.on_message(ctx, listener_, m)) return true;
  const auto* ok = m.as<AcquireOk>();
  const auto* busy = m.as<AcquireBusy>();
  if (ok == nullptr && busy == nullptr) return m.is<ReleaseOk>() || m.is<ReleaseRefused>();
  const std::string& owner = ok != nullptr ? ok->owner : busy->owner;
  if (phase_ != Phase::kAsking || owner != owner_) return true;
  if (std::find(servers_.begin(), servers_.end(), from) == servers_.end()) return true;
  replied_.insert(from);
  if (ok != nullptr) granted_[from] = ok->token.value_or(0);
  if (granted_.size() >= quorum() || replied_.size() == servers_.size()) decide(ctx);
  return true;
}

bool RedlockRecipe::on_timer(Context& ctx, const Timer& t) {
  if (watchdog_.on_timer(ctx, listener_, t)) return true;
  if (t.is(LockTimer::kRedlockTimeout)) {
    if (phase_ == Phase::kAsking && t.arg == base_.attempt) decide(ctx);
    return true;
  }
  if (t.is(LockTimer::kRedlockRetry)) {
    if (phase_ == Phase::kBackingOff && t.arg == base_.attempt) start_attempt(ctx);
    return true;
  }
  return false;
}

}  // namespace dsim::locks
