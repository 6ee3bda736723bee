#include "protocols/locks/sentinel_recipe.h"

#include "protocols/locks/backoff.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/replication_messages.h"
#include "protocols/locks/replication_timers.h"

namespace dsim::locks {

SentinelRecipe::SentinelRecipe(RecipeListener& listener, const ServiceSettings& settings,
                               const WorkloadSettings& workload, std::vector<NodeId> sentinels)
    : listener_(listener),
      s_(settings),
      backoff_min_(workload.backoff_min),
      backoff_max_(workload.backoff_max),
      sentinels_(std::move(sentinels)),
      watchdog_(settings, {}, 1,
                Duration{static_cast<int64_t>(static_cast<double>(settings.ttl.ns) * settings.drift_factor)}) {}

void SentinelRecipe::acquire(Context& ctx, const OwnerId& owner) {
  phase_ = Phase::kAcquiring;
  owner_ = owner.str();
  sent_at_.clear();
  first_request_ = request_ + 1;
  retries_ = 0;
  next_attempt(ctx);
}

void SentinelRecipe::next_attempt(Context& ctx) {
  if (primary_ == kNoNode) {
    ask_sentinel(ctx);
  } else {
    send_request(ctx);
  }
}

void SentinelRecipe::arm_timeout(Context& ctx) {
  ctx.cancel_timer(timeout_timer_);
  timeout_timer_ = ctx.set_timer(s_.request_timeout, ReplTimer::kClientTimeout, request_);
}

void SentinelRecipe::ask_sentinel(Context& ctx) {
  ++request_;
  sent_at_.push_back(ctx.now());  // keeps SET numbers and slots aligned
  ctx.send(sentinels_[next_sentinel_], GetPrimary{request_});
  next_sentinel_ = (next_sentinel_ + 1) % sentinels_.size();
  arm_timeout(ctx);
}

void SentinelRecipe::scan_primary(Context& ctx) {
  // Numbered 0: never the answer an acquisition waits for (its numbers start at 1).
  ctx.send(sentinels_[next_sentinel_], GetPrimary{0});
  next_sentinel_ = (next_sentinel_ + 1) % sentinels_.size();
}

void SentinelRecipe::send_request(Context& ctx) {
  ++request_;
  sent_at_.push_back(ctx.now());
  ctx.send(primary_, AcquireRequest{owner_, request_, s_.ttl.ns, /*has_req=*/true, /*has_ttl=*/true});
  arm_timeout(ctx);
}

void SentinelRecipe::retry_later(Context& ctx) {
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  retry_timer_ = ctx.set_timer(backoff_delay(ctx.rng(), retries_++, backoff_min_, backoff_max_),
                               ReplTimer::kClientRetry);
}

void SentinelRecipe::release(Context& ctx) {
  watchdog_.hold_ended(ctx);
  if (phase_ == Phase::kIdle) return;
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  if (primary_ != kNoNode) ctx.send(primary_, ReleaseRequest{owner_});
  phase_ = Phase::kIdle;
}

bool SentinelRecipe::still_holds(Context& ctx) const {
  return phase_ == Phase::kHolding && ctx.now() < watchdog_.valid_until(valid_until_);
}

bool SentinelRecipe::on_message(Context& ctx, NodeId from, const Message& m) {
  if (watchdog_.on_message(ctx, listener_, m)) return true;
  if (const auto* addr = m.as<PrimaryAddr>()) {
    // A newer configuration, or the first: follow it. An older one, late, is ignored.
    if (addr->epoch >= primary_epoch_) {
      primary_ = addr->primary;
      primary_epoch_ = addr->epoch;
      // Renewals follow the promoted primary; one lost on the way to the old one goes again.
      if (primary_ != kNoNode && primary_ != renewing_on_ && watchdog_.running()) {
        renewing_on_ = primary_;
        watchdog_.retarget({primary_}, 1);
        watchdog_.resend(ctx);
      }
    }
    if (phase_ != Phase::kAcquiring || addr->req != request_) return true;
    if (primary_ == kNoNode) {
      retry_later(ctx);  // an older configuration than one already seen: ask another sentinel
    } else {
      send_request(ctx);
    }
    return true;
  }
  if (const auto* ro = m.as<ReadOnly>()) {
    // Demoted: find the primary again. Only the current request's answer counts.
    if (from == primary_) primary_ = kNoNode;
    if (phase_ == Phase::kHolding && watchdog_.running()) scan_primary(ctx);  // a renewal's -READONLY
    if (phase_ == Phase::kAcquiring && ro->owner == owner_ && ro->req == request_) retry_later(ctx);
    return true;
  }
  if (const auto* busy = m.as<AcquireBusy>()) {
    if (phase_ == Phase::kAcquiring && busy->owner == owner_ && busy->req == request_) retry_later(ctx);
    return true;
  }
  if (const auto* none = m.as<NoReplicas>()) {
    if (phase_ == Phase::kAcquiring && none->owner == owner_ && none->req == request_) retry_later(ctx);
    return true;
  }
  if (const auto* failed = m.as<WaitFailed>()) {
    // Too few replicas have the key: a failover could lose it. Let it go and retry.
    if (phase_ == Phase::kAcquiring && failed->owner == owner_ && failed->req == request_) {
      ctx.send(from, ReleaseRequest{owner_});
      retry_later(ctx);
    }
    return true;
  }
  const auto* ok = m.as<AcquireOk>();
  if (ok == nullptr) return m.is<ReleaseOk>() || m.is<ReleaseRefused>();
  if (phase_ != Phase::kAcquiring || ok->owner != owner_) return true;
  int64_t index = ok->req - first_request_;
  bool ours = index >= 0 && index < static_cast<int64_t>(sent_at_.size());
  Instant from_time = ours ? sent_at_[static_cast<size_t>(index)] : sent_at_.front();
  auto margin = Duration{static_cast<int64_t>(static_cast<double>(s_.ttl.ns) * s_.drift_factor)};
  valid_until_ = from_time + s_.ttl - margin;
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  phase_ = Phase::kHolding;
  Grant g;
  g.owner = owner_;
  g.token = ok->token;
  g.valid_until = valid_until_;
  if (watchdog_.enabled()) {
    renewing_on_ = from;  // the primary that granted it
    watchdog_.retarget({from}, 1);
    watchdog_.start(ctx, owner_);
  }
  listener_.on_granted(ctx, g);
  return true;
}

bool SentinelRecipe::on_timer(Context& ctx, const Timer& t) {
  if (watchdog_.on_timer(ctx, listener_, t)) {
    if (phase_ == Phase::kHolding && watchdog_.running()) scan_primary(ctx);
    return true;
  }
  if (t.is(ReplTimer::kClientTimeout)) {
    if (phase_ == Phase::kAcquiring && t.arg == request_) {
      primary_ = kNoNode;  // silent: maybe failed over; ask a sentinel next
      retry_later(ctx);
    }
    return true;
  }
  if (t.is(ReplTimer::kClientRetry)) {
    if (phase_ == Phase::kAcquiring) next_attempt(ctx);
    return true;
  }
  return false;
}

}  // namespace dsim::locks
