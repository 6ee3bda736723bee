#include "protocols/locks/ap_recipe.h"

#include "protocols/locks/ap_lock_messages.h"
#include "protocols/locks/backoff.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/replication_timers.h"

namespace dsim::locks {

ApRecipe::ApRecipe(RecipeListener& listener, const ServiceSettings& settings, const WorkloadSettings& workload,
                   std::vector<NodeId> members)
    : listener_(listener),
      s_(settings),
      backoff_min_(workload.backoff_min),
      backoff_max_(workload.backoff_max),
      members_(std::move(members)) {}

void ApRecipe::acquire(Context& ctx, const OwnerId& owner) {
  phase_ = Phase::kAcquiring;
  owner_ = owner.str();
  sent_at_.clear();
  first_request_ = request_ + 1;
  retries_ = 0;
  send_request(ctx);
}

void ApRecipe::send_request(Context& ctx) {
  ++request_;
  sent_at_.push_back(ctx.now());
  ctx.send(members_[member_], AcquireRequest{owner_, request_, s_.ttl.ns, /*has_req=*/true, /*has_ttl=*/true});
  ctx.cancel_timer(timeout_timer_);
  timeout_timer_ = ctx.set_timer(s_.request_timeout, ReplTimer::kClientTimeout, request_);
}

void ApRecipe::retry_later(Context& ctx) {
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  retry_timer_ = ctx.set_timer(backoff_delay(ctx.rng(), retries_++, backoff_min_, backoff_max_),
                               ReplTimer::kClientRetry);
}

void ApRecipe::release(Context& ctx) {
  if (phase_ == Phase::kIdle) return;
  ctx.cancel_timer(timeout_timer_);
  ctx.cancel_timer(retry_timer_);
  ctx.send(granted_by_ != kNoNode ? granted_by_ : members_[member_], ReleaseRequest{owner_});
  granted_by_ = kNoNode;
  phase_ = Phase::kIdle;
}

bool ApRecipe::still_holds(Context& ctx) const { return phase_ == Phase::kHolding && ctx.now() < valid_until_; }

bool ApRecipe::on_message(Context& ctx, NodeId from, const Message& m) {
  auto current = [&](const std::string& owner, int64_t req) {
    return phase_ == Phase::kAcquiring && owner == owner_ && req == request_;
  };
  if (const auto* no = m.as<NotOwner>()) {
    if (current(no->owner, no->req)) {
      member_ = (member_ + 1) % members_.size();
      retry_later(ctx);
    }
    return true;
  }
  if (const auto* nq = m.as<NoQuorum>()) {
    if (current(nq->owner, nq->req)) retry_later(ctx);
    return true;
  }
  if (const auto* busy = m.as<AcquireBusy>()) {
    if (current(busy->owner, busy->req)) retry_later(ctx);
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
  granted_by_ = from;
  Grant g;
  g.owner = owner_;
  g.token = ok->token;
  g.valid_until = valid_until_;
  listener_.on_granted(ctx, g);
  return true;
}

bool ApRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.is(ReplTimer::kClientTimeout)) {
    if (phase_ == Phase::kAcquiring && t.arg == request_) {
      member_ = (member_ + 1) % members_.size();  // silent: try the other member
      retry_later(ctx);
    }
    return true;
  }
  if (t.is(ReplTimer::kClientRetry)) {
    if (phase_ == Phase::kAcquiring) send_request(ctx);
    return true;
  }
  return false;
}

}  // namespace dsim::locks
