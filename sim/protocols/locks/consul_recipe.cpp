#include "protocols/locks/consul_recipe.h"

#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/renewal_events.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

ConsulRecipe::ConsulRecipe(RecipeListener& listener, const ServiceSettings& settings, NodeId server)
    : listener_(listener), s_(settings), server_(server) {}

void ConsulRecipe::start(Context& ctx) {
  create_session(ctx);
  ctx.set_timer(s_.session_ttl / 2, LockTimer::kConsulRenew);
}

bool ConsulRecipe::session_alive(Context& ctx) const {
  if (renew_stopped_) return session_ != 0;  // counts on the renewal
  return session_ != 0 && ctx.now() - last_renewed_ < s_.session_ttl;
}

// Sends `m` (numbered) and arms one timer for its answer.
template <typename M>
void ConsulRecipe::wait(Context& ctx, M m, Duration timeout, LockTimer kind) {
  m.req = ++req_;
  ctx.send(server_, std::move(m));
  ctx.cancel_timer(wait_timer_);
  wait_timer_ = ctx.set_timer(timeout, kind, req_);
}

void ConsulRecipe::create_session(Context& ctx) {
  session_ = 0;
  creating_session_ = true;
  wait(ctx, CreateSession{}, s_.request_timeout, LockTimer::kConsulSessionTimeout);
}

void ConsulRecipe::acquire(Context& ctx, const OwnerId& owner) {
  owner_ = owner.str();
  if (!releasing_.empty()) {
    phase_ = Phase::kWaitingRelease;
    return;
  }
  if (session_ == 0) {
    phase_ = Phase::kWaitingSession;
    if (!creating_session_) create_session(ctx);
    return;
  }
  send_acquire(ctx);
}

void ConsulRecipe::send_acquire(Context& ctx) {
  phase_ = Phase::kAcquiring;
  wait(ctx, ConsulAcquire{session_, owner_}, s_.request_timeout, LockTimer::kConsulAcquireTimeout);
}

void ConsulRecipe::on_acquire_result(Context& ctx, const AcquireResult& r) {
  if (r.ok) {
    phase_ = Phase::kHolding;
    ctx.cancel_timer(wait_timer_);
    Grant g;
    g.owner = owner_;
    g.token = r.lock_index;
    hold_index_ = r.lock_index;
    listener_.on_granted(ctx, g);
  } else if (r.session_invalid) {
    session_lost(ctx, "session_invalid");
  } else if (r.held) {
    // A blocking query; it may wait until a lost notification would have come.
    phase_ = Phase::kWatching;
    wait(ctx, Watch{r.modify_index}, s_.session_ttl + s_.lock_delay, LockTimer::kConsulWatchTimeout);
  } else {
    phase_ = Phase::kRetrying;  // free but refused: the lock-delay
    ctx.cancel_timer(wait_timer_);
    wait_timer_ = ctx.set_timer(s_.lock_retry, LockTimer::kConsulRetry, req_);
  }
}

void ConsulRecipe::session_lost(Context& ctx, const char* reason) {
  bool holding = phase_ == Phase::kHolding;
  bool was_waiting_release = phase_ == Phase::kWaitingRelease;
  releasing_.clear();  // the invalidation releases whatever the session held
  ctx.cancel_timer(release_timer_);
  if (was_waiting_release) phase_ = Phase::kWaitingSession;
  if (phase_ == Phase::kAcquiring || phase_ == Phase::kWatching || phase_ == Phase::kRetrying) {
    phase_ = Phase::kWaitingSession;
  }
  create_session(ctx);
  if (holding) listener_.on_lost(ctx, reason);
}

bool ConsulRecipe::renew_failed(Context& ctx) {
  if (!s_.renew_stop_on_failure) return false;
  renew_stopped_ = true;
  ctx.trace(events::WatchdogStopped{owner_, "renew_failed"});  // and nobody is told
  return true;
}

void ConsulRecipe::release(Context& ctx) {
  if (!creating_session_) ctx.cancel_timer(wait_timer_);
  phase_ = Phase::kIdle;
  if (session_ == 0) return;
  releasing_ = owner_;
  releasing_index_ = hold_index_;
  send_release(ctx);
}

void ConsulRecipe::send_release(Context& ctx) {
  ctx.send(server_, ConsulRelease{session_, releasing_, releasing_index_});
  ctx.cancel_timer(release_timer_);
  release_timer_ = ctx.set_timer(s_.request_timeout, LockTimer::kConsulReleaseRetry);
}

void ConsulRecipe::release_done(Context& ctx) {
  releasing_.clear();
  ctx.cancel_timer(release_timer_);
  if (phase_ != Phase::kWaitingRelease) return;
  if (session_ == 0) {
    phase_ = Phase::kWaitingSession;
    if (!creating_session_) create_session(ctx);
    return;
  }
  send_acquire(ctx);
}

bool ConsulRecipe::still_holds(Context& ctx) const {
  return phase_ == Phase::kHolding && session_alive(ctx);
}

namespace {
// The `req` an answer echoes; -1 for messages that answer no request.
int64_t answered_req(const Message& m) {
  if (const auto* x = m.as<SessionCreated>()) return x->req;
  if (const auto* x = m.as<AcquireResult>()) return x->req;
  if (const auto* x = m.as<KeyChanged>()) return x->req;
  return -1;
}
}  // namespace

bool ConsulRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  bool current = answered_req(m) == req_;
  if (const auto* created = m.as<SessionCreated>()) {
    if (!current || !creating_session_) return true;
    creating_session_ = false;
    ctx.cancel_timer(wait_timer_);
    session_ = created->session;
    last_renewed_ = ctx.now();
    if (phase_ == Phase::kWaitingSession) send_acquire(ctx);
  } else if (const auto* renewed = m.as<Renewed>()) {
    if (renewed->session != session_ || renew_stopped_) return true;
    renew_answered_ = true;
    if (renewed->valid) {
      last_renewed_ = ctx.now();
    } else if (!renew_failed(ctx)) {
      session_lost(ctx, "session_invalid");
    }
  } else if (const auto* released = m.as<Released>()) {
    if (released->owner == releasing_ && released->session == session_) release_done(ctx);
  } else if (const auto* result = m.as<AcquireResult>()) {
    if (current && phase_ == Phase::kAcquiring) on_acquire_result(ctx, *result);
  } else if (const auto* changed = m.as<KeyChanged>()) {
    if (!current || phase_ != Phase::kWatching) return true;
    ctx.trace(events::Woke{ctx.cluster().name(server_), changed->release_id});
    send_acquire(ctx);
  } else {
    return false;
  }
  return true;
}

bool ConsulRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.is(LockTimer::kConsulRenew)) {
    ctx.set_timer(s_.session_ttl / 2, LockTimer::kConsulRenew);
    if (session_ == 0 || renew_stopped_) return true;
    if (s_.renew_stop_on_failure && !renew_answered_ && renew_failed(ctx)) return true;
    if (!session_alive(ctx)) {
      session_lost(ctx, "session_timeout");
    } else {
      renew_answered_ = false;
      ctx.send(server_, Renew{session_});
    }
    return true;
  }
  if (t.is(LockTimer::kConsulReleaseRetry)) {
    if (!releasing_.empty()) send_release(ctx);
    return true;
  }
  bool answer_wait = t.is(LockTimer::kConsulSessionTimeout) || t.is(LockTimer::kConsulAcquireTimeout) ||
                     t.is(LockTimer::kConsulWatchTimeout) || t.is(LockTimer::kConsulRetry);
  if (!answer_wait) return false;
  if (t.arg != req_) return true;  // answered, or superseded
  if (t.is(LockTimer::kConsulSessionTimeout) && creating_session_) {
    create_session(ctx);
  } else if ((t.is(LockTimer::kConsulAcquireTimeout) && phase_ == Phase::kAcquiring) ||
             (t.is(LockTimer::kConsulWatchTimeout) && phase_ == Phase::kWatching) ||
             (t.is(LockTimer::kConsulRetry) && phase_ == Phase::kRetrying)) {
    send_acquire(ctx);
  }
  return true;
}

}  // namespace dsim::locks
