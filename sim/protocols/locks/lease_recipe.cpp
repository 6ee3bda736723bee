#include "protocols/locks/lease_recipe.h"

#include "protocols/locks/backoff.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

LeaseRecipe::LeaseRecipe(RecipeListener& listener, const ServiceSettings& settings,
                         const WorkloadSettings& workload, NodeId server)
    : listener_(listener),
      s_(settings),
      backoff_min_(workload.backoff_min),
      backoff_max_(workload.backoff_max),
      server_(server),
      watchdog_(settings, {server}, 1,
                Duration{static_cast<int64_t>(static_cast<double>(settings.ttl.ns) * settings.drift_factor)}) {}

void LeaseRecipe::acquire(Context& ctx, const OwnerId& owner) {
  phase_ = Phase::kAcquiring;
  owner_ = owner.str();
  sent_at_.clear();
  first_request_ = request_ + 1;
  retries_ = 0;
  send_request(ctx);
}

void LeaseRecipe::send_request(Context& ctx) {
  ++request_;
  sent_at_.push_back(ctx.now());
  AcquireRequest request{owner_, request_, s_.ttl.ns, /*has_req=*/true, /*has_ttl=*/has_lease()};
  ctx.send(server_, std::move(request));
  ctx.cancel_timer(timeout_timer_);
  timeout_timer_ = ctx.set_timer(s_.request_timeout, LockTimer::kLeaseTimeout, request_);
}

void LeaseRecipe::retry_later(Context& ctx) {
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  retry_timer_ = ctx.set_timer(backoff_delay(ctx.rng(), retries_++, backoff_min_, backoff_max_),
                               LockTimer::kLeaseRetry);
}

void LeaseRecipe::release(Context& ctx) {
  watchdog_.hold_ended(ctx);
  if (phase_ == Phase::kIdle) return;
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  ctx.send(server_, ReleaseRequest{owner_});
  phase_ = Phase::kIdle;
}

bool LeaseRecipe::still_holds(Context& ctx) const {
  return phase_ == Phase::kHolding && ctx.now() < watchdog_.valid_until(valid_until_);
}

bool LeaseRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  if (watchdog_.on_message(ctx, listener_, m)) return true;
  if (const auto* busy = m.as<AcquireBusy>()) {
    // An older request's refusal is already handled.
    if (phase_ == Phase::kAcquiring && busy->owner == owner_ && busy->req == request_) retry_later(ctx);
    return true;
  }
  const auto* ok = m.as<AcquireOk>();
  if (ok == nullptr) return m.is<ReleaseOk>() || m.is<ReleaseRefused>();
  if (phase_ != Phase::kAcquiring || ok->owner != owner_) return true;
  int64_t req = ok->req;
  // Any of this acquisition's requests may be the one that won; count from its departure.
  int64_t index = req - first_request_;
  bool ours = index >= 0 && index < static_cast<int64_t>(sent_at_.size());
  Instant from_time = ours ? sent_at_[static_cast<size_t>(index)] : sent_at_.front();
  valid_until_ = Instant::max();
  if (has_lease()) {
    auto margin = Duration{static_cast<int64_t>(static_cast<double>(s_.ttl.ns) * s_.drift_factor)};
    valid_until_ = from_time + s_.ttl - margin;
  }
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  phase_ = Phase::kHolding;
  Grant g;
  g.owner = owner_;
  g.token = ok->token;
  g.valid_until = valid_until_;
  if (has_lease()) watchdog_.start(ctx, owner_);
  listener_.on_granted(ctx, g);
  return true;
}

bool LeaseRecipe::on_timer(Context& ctx, const Timer& t) {
  if (watchdog_.on_timer(ctx, listener_, t)) return true;
  if (t.is(LockTimer::kLeaseTimeout)) {
    if (phase_ == Phase::kAcquiring && t.arg == request_) retry_later(ctx);
    return true;
  }
  if (t.is(LockTimer::kLeaseRetry)) {
    if (phase_ == Phase::kAcquiring) send_request(ctx);
    return true;
  }
  return false;
}

}  // namespace dsim::locks
