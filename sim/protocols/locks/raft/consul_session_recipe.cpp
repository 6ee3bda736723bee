#include "protocols/locks/raft/consul_session_recipe.h"

#include <algorithm>

#include "protocols/locks/raft/raft_messages.h"
#include "protocols/locks/raft/raft_timers.h"
#include "protocols/locks/renewal_events.h"

namespace dsim::locks::raft {

ConsulSessionRecipe::ConsulSessionRecipe(RecipeListener& listener, const ServiceSettings& settings,
                                         std::vector<NodeId> servers)
    : listener_(listener), s_(settings), servers_(std::move(servers)) {}

void ConsulSessionRecipe::start(Context& ctx) { ctx.set_timer(s_.lease_ttl / 3, RaftTimer::kKeepAlive); }

void ConsulSessionRecipe::follow_hint(int64_t leader) {
  auto it = std::find(servers_.begin(), servers_.end(), static_cast<NodeId>(leader));
  if (leader >= 0 && it != servers_.end() && static_cast<size_t>(it - servers_.begin()) != guess_) {
    guess_ = static_cast<size_t>(it - servers_.begin());
  } else {
    next_server();
  }
}

void ConsulSessionRecipe::send_request(Context& ctx) {
  request_ = ++req_;
  request_sent_ = ctx.now();
  if (phase_ == Phase::kSession) {
    ctx.send(server(), LeaseGrantRequest{request_, s_.lease_ttl.ns});
  } else if (phase_ == Phase::kAcquire) {
    ctx.send(server(), LockAcquire{request_, owner_, session_});
  } else {
    return;
  }
  ctx.cancel_timer(request_timer_);
  request_timer_ = ctx.set_timer(s_.request_timeout, RaftTimer::kRequestTimeout, request_);
}

void ConsulSessionRecipe::acquire(Context& ctx, const OwnerId& owner) {
  owner_id_ = owner;
  owner_ = owner.str();
  phase_ = session_ != 0 && ctx.now() < session_deadline_ ? Phase::kAcquire : Phase::kSession;
  send_request(ctx);
}

void ConsulSessionRecipe::session_gone(Context& ctx) {
  session_ = 0;
  releasing_.clear();  // the invalidation released whatever the session held
  ctx.cancel_timer(release_timer_);
  if (phase_ == Phase::kHolding) {
    phase_ = Phase::kIdle;
    listener_.on_lost(ctx, "session_invalid");
  } else if (phase_ == Phase::kAcquire) {
    phase_ = Phase::kSession;
    ++owner_id_.attempt;
    owner_ = owner_id_.str();
    send_request(ctx);
  }
}

void ConsulSessionRecipe::release(Context& ctx) {
  ctx.cancel_timer(request_timer_);
  phase_ = Phase::kIdle;
  if (session_ == 0 || owner_.empty()) return;
  releasing_ = owner_;
  releasing_session_ = session_;
  send_release(ctx);
}

void ConsulSessionRecipe::send_release(Context& ctx) {
  release_req_ = ++req_;
  ctx.send(server(), LockRelease{release_req_, releasing_, releasing_session_});
  ctx.cancel_timer(release_timer_);
  release_timer_ = ctx.set_timer(s_.request_timeout, RaftTimer::kRequestTimeout, release_req_);
}

void ConsulSessionRecipe::send_renew(Context& ctx) {
  renew_ = ++req_;
  renew_answered_ = false;
  renew_sent_ = ctx.now();
  ctx.send(server(), KeepAlive{renew_, session_});
}

bool ConsulSessionRecipe::renew_failed(Context& ctx) {
  if (!s_.renew_stop_on_failure) return false;
  renew_stopped_ = true;
  renew_answered_ = true;
  ctx.trace(::dsim::locks::events::WatchdogStopped{owner_, "renew_failed"});  // and nobody is told
  return true;
}

bool ConsulSessionRecipe::still_holds(Context& ctx) const {
  if (s_.renew_stop_on_failure) return phase_ == Phase::kHolding;  // counts on the renewal
  return phase_ == Phase::kHolding && ctx.now() < session_deadline_;
}

bool ConsulSessionRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  if (const auto* x = m.as<NotLeader>()) {
    if (x->req == request_ && (phase_ == Phase::kSession || phase_ == Phase::kAcquire)) {
      follow_hint(x->leader);
      ctx.cancel_timer(request_timer_);
      request_timer_ = ctx.set_timer(s_.request_timeout / 4, RaftTimer::kRetry, request_);
    } else if (x->req == release_req_ && !releasing_.empty()) {
      follow_hint(x->leader);
      ctx.cancel_timer(release_timer_);
      release_timer_ = ctx.set_timer(s_.request_timeout / 4, RaftTimer::kRetry, release_req_);
    } else if (x->req == renew_ && session_ != 0 && !renew_stopped_) {
      // Renew at the leader it names at once; without a name, at the next server next time.
      follow_hint(x->leader);
      renew_answered_ = true;
      if (renew_failed(ctx)) return true;
      if (x->leader >= 0 && servers_[guess_] == static_cast<NodeId>(x->leader)) send_renew(ctx);
    }
  } else if (const auto* x = m.as<LeaseGranted>()) {
    if (x->req != request_ || phase_ != Phase::kSession) return true;
    session_ = x->lease;
    session_deadline_ = request_sent_ + Duration{x->ttl_ns};
    phase_ = Phase::kAcquire;
    send_request(ctx);
  } else if (const auto* x = m.as<LockAcquireResult>()) {
    if (x->req != request_ || phase_ != Phase::kAcquire) return true;
    ctx.cancel_timer(request_timer_);
    if (x->ok) {
      phase_ = Phase::kHolding;
      Grant g;
      g.owner = owner_;
      g.token = x->lock_index;
      g.valid_until = s_.renew_stop_on_failure ? Instant::max() : session_deadline_;
      listener_.on_granted(ctx, g);
    } else if (!x->held && !x->in_delay) {
      session_gone(ctx);  // refused for want of a session
    } else {
      request_timer_ = ctx.set_timer(s_.lock_retry, RaftTimer::kRetry, request_);
    }
  } else if (const auto* x = m.as<KeepAliveReply>()) {
    if (x->req != renew_ || x->lease != session_ || session_ == 0 || renew_stopped_) return true;
    renew_answered_ = true;
    if (x->ttl_ns > 0) {
      session_deadline_ = std::max(session_deadline_, renew_sent_ + Duration{x->ttl_ns});
    } else if (!renew_failed(ctx)) {
      session_gone(ctx);
    }
  } else if (const auto* x = m.as<LockReleased>()) {
    if (x->req != release_req_) return true;
    releasing_.clear();
    ctx.cancel_timer(release_timer_);
  } else {
    return false;
  }
  return true;
}

bool ConsulSessionRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.is(RaftTimer::kKeepAlive)) {
    ctx.set_timer(s_.lease_ttl / 3, RaftTimer::kKeepAlive);
    if (session_ == 0 || renew_stopped_) return true;
    if (!renew_answered_ && renew_failed(ctx)) return true;
    if (ctx.now() >= session_deadline_) {
      session_gone(ctx);
      return true;
    }
    if (session_ == abandoned_session_) return true;
    if (phase_ == Phase::kHolding && !s_.renew_without_worker && !listener_.worker_alive(ctx)) {
      abandoned_session_ = session_;  // let it lapse: a hung worker must not keep the lock
      ctx.trace(::dsim::locks::events::WatchdogStopped{owner_, "worker_gone"});
      return true;
    }
    if (!renew_answered_) next_server();
    send_renew(ctx);
    return true;
  }
  const bool timeout = t.is(RaftTimer::kRequestTimeout);
  if (!timeout && !t.is(RaftTimer::kRetry)) return false;
  if (t.arg == release_req_ && !releasing_.empty()) {
    if (timeout) next_server();
    send_release(ctx);
  } else if (t.arg == request_ && (phase_ == Phase::kSession || phase_ == Phase::kAcquire)) {
    if (timeout) next_server();
    send_request(ctx);
  }
  return true;
}

}  // namespace dsim::locks::raft
