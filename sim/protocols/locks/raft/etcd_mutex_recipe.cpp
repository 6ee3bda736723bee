#include "protocols/locks/raft/etcd_mutex_recipe.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/raft/raft_messages.h"
#include "protocols/locks/raft/raft_timers.h"
#include "protocols/locks/renewal_events.h"

namespace dsim::locks::raft {

namespace lockev = ::dsim::locks::events;

EtcdMutexRecipe::EtcdMutexRecipe(RecipeListener& listener, const ServiceSettings& settings,
                                 std::vector<NodeId> servers)
    : listener_(listener), s_(settings), servers_(std::move(servers)) {}

void EtcdMutexRecipe::start(Context& ctx) {
  ctx.set_timer(s_.lease_ttl / 3, RaftTimer::kKeepAlive);
}

void EtcdMutexRecipe::follow_hint(int64_t leader) {
  auto it = std::find(servers_.begin(), servers_.end(), static_cast<NodeId>(leader));
  if (leader >= 0 && it != servers_.end() && static_cast<size_t>(it - servers_.begin()) != guess_) {
    guess_ = static_cast<size_t>(it - servers_.begin());
  } else {
    next_server();
  }
}

void EtcdMutexRecipe::send_request(Context& ctx) {
  request_ = ++req_;
  request_sent_ = ctx.now();
  Duration timeout = s_.request_timeout;
  switch (phase_) {
    case Phase::kLease:
      ctx.send(server(), LeaseGrantRequest{request_, s_.lease_ttl.ns});
      break;
    case Phase::kPut:
      ctx.send(server(), PutKey{request_, owner_, lease_});
      break;
    case Phase::kCheck:
      ctx.send(server(), WaitCheck{request_, owner_, my_rev_});
      break;
    case Phase::kWatch:
      ctx.send(server(), WatchKey{request_, watched_});
      timeout = s_.lease_ttl;  // a watch waits long; then look again
      break;
    case Phase::kIdle:
    case Phase::kHolding:
      return;
  }
  ctx.cancel_timer(request_timer_);
  request_timer_ = ctx.set_timer(timeout, phase_ == Phase::kWatch ? RaftTimer::kWatchTimeout
                                                                 : RaftTimer::kRequestTimeout, request_);
}

void EtcdMutexRecipe::acquire(Context& ctx, const OwnerId& owner) {
  owner_id_ = owner;
  owner_ = owner.str();
  my_rev_ = 0;
  phase_ = lease_ != 0 && ctx.now() < lease_deadline_ ? Phase::kPut : Phase::kLease;
  send_request(ctx);
}

void EtcdMutexRecipe::granted(Context& ctx) {
  phase_ = Phase::kHolding;
  ctx.cancel_timer(request_timer_);
  Grant g;
  g.owner = owner_;
  g.token = my_rev_;
  g.valid_until = s_.renew_stop_on_failure ? Instant::max() : lease_deadline_;
  listener_.on_granted(ctx, g);
}

void EtcdMutexRecipe::send_keep_alive(Context& ctx) {
  keep_alive_ = ++req_;
  keep_alive_answered_ = false;
  keep_alive_sent_ = ctx.now();
  ctx.send(server(), KeepAlive{keep_alive_, lease_});
}

bool EtcdMutexRecipe::keep_alive_failed(Context& ctx) {
  if (!s_.renew_stop_on_failure) return false;
  keep_alive_stopped_ = true;
  keep_alive_answered_ = true;
  ctx.trace(lockev::WatchdogStopped{owner_, "renew_failed"});  // and nobody is told
  return true;
}

void EtcdMutexRecipe::lease_gone(Context& ctx, std::string_view reason) {
  lease_ = 0;
  if (phase_ == Phase::kHolding) {
    phase_ = Phase::kIdle;
    listener_.on_lost(ctx, reason);
  } else if (phase_ != Phase::kIdle && phase_ != Phase::kLease) {
    phase_ = Phase::kLease;  // the key went with the lease: a new lease, a new key
    ++owner_id_.attempt;
    owner_ = owner_id_.str();
    send_request(ctx);
  }
}

void EtcdMutexRecipe::release(Context& ctx) {
  ctx.cancel_timer(request_timer_);
  phase_ = Phase::kIdle;
  if (owner_.empty()) return;
  releasing_ = owner_;
  send_delete(ctx);
}

void EtcdMutexRecipe::send_delete(Context& ctx) {
  delete_req_ = ++req_;
  ctx.send(server(), DeleteKey{delete_req_, releasing_});
  ctx.cancel_timer(delete_timer_);
  delete_timer_ = ctx.set_timer(s_.request_timeout, RaftTimer::kRequestTimeout, delete_req_);
}

bool EtcdMutexRecipe::still_holds(Context& ctx) const {
  if (s_.renew_stop_on_failure) return phase_ == Phase::kHolding;  // counts on the keep-alive
  return phase_ == Phase::kHolding && ctx.now() < lease_deadline_;
}

bool EtcdMutexRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  if (const auto* x = m.as<NotLeader>()) {
    if (x->req == request_ && phase_ != Phase::kIdle && phase_ != Phase::kHolding) {
      follow_hint(x->leader);
      ctx.cancel_timer(request_timer_);
      request_timer_ = ctx.set_timer(s_.request_timeout / 4, RaftTimer::kRetry, request_);
    } else if (x->req == delete_req_ && !releasing_.empty()) {
      follow_hint(x->leader);
      ctx.cancel_timer(delete_timer_);
      delete_timer_ = ctx.set_timer(s_.request_timeout / 4, RaftTimer::kRetry, delete_req_);
    } else if (x->req == keep_alive_ && lease_ != 0 && !keep_alive_stopped_) {
      // Renew at the leader it names at once; without a name, at the next server next time.
      follow_hint(x->leader);
      keep_alive_answered_ = true;
      if (keep_alive_failed(ctx)) return true;
      if (x->leader >= 0 && servers_[guess_] == static_cast<NodeId>(x->leader)) send_keep_alive(ctx);
    }
  } else if (const auto* x = m.as<LeaseGranted>()) {
    if (x->req != request_ || phase_ != Phase::kLease) return true;
    lease_ = x->lease;
    lease_deadline_ = request_sent_ + Duration{x->ttl_ns};
    phase_ = Phase::kPut;
    send_request(ctx);
  } else if (const auto* x = m.as<PutResult>()) {
    if (x->req != request_ || phase_ != Phase::kPut) return true;
    if (!x->ok) {
      lease_gone(ctx, "lease_expired");
      return true;
    }
    my_rev_ = x->create_rev;
    if (x->owner_rev == my_rev_) {
      granted(ctx);
    } else {
      phase_ = Phase::kCheck;
      send_request(ctx);
    }
  } else if (const auto* x = m.as<WaitCheckResult>()) {
    if (x->req != request_ || phase_ != Phase::kCheck) return true;
    if (!x->exists) {
      lease_gone(ctx, "lease_expired");
    } else if (x->prev_key.empty()) {
      granted(ctx);
    } else {
      watched_ = x->prev_key;
      phase_ = Phase::kWatch;
      send_request(ctx);
    }
  } else if (const auto* x = m.as<KeyDeleted>()) {
    if (x->req != request_ || phase_ != Phase::kWatch) return true;
    std::optional<int64_t> revision;
    if (x->revision != 0) revision = x->revision;
    ctx.trace(lockev::Woke{ctx.cluster().name(server()), revision});
    phase_ = Phase::kCheck;
    send_request(ctx);
  } else if (const auto* x = m.as<KeepAliveReply>()) {
    if (x->req != keep_alive_ || x->lease != lease_ || lease_ == 0 || keep_alive_stopped_) return true;
    keep_alive_answered_ = true;
    if (x->ttl_ns > 0) {
      lease_deadline_ = std::max(lease_deadline_, keep_alive_sent_ + Duration{x->ttl_ns});
    } else if (!keep_alive_failed(ctx)) {
      lease_gone(ctx, "lease_expired");
    }
  } else if (const auto* x = m.as<KeyDeleteDone>()) {
    if (x->req != delete_req_) return true;
    releasing_.clear();
    ctx.cancel_timer(delete_timer_);
  } else {
    return false;
  }
  return true;
}

bool EtcdMutexRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.is(RaftTimer::kKeepAlive)) {
    ctx.set_timer(s_.lease_ttl / 3, RaftTimer::kKeepAlive);
    if (lease_ == 0 || keep_alive_stopped_) return true;
    if (!keep_alive_answered_ && keep_alive_failed(ctx)) return true;
    if (ctx.now() >= lease_deadline_) {
      lease_gone(ctx, "lease_expired");
      return true;
    }
    if (lease_ == abandoned_lease_) return true;
    if (phase_ == Phase::kHolding && !s_.renew_without_worker && !listener_.worker_alive(ctx)) {
      abandoned_lease_ = lease_;  // let it lapse: a hung worker must not keep the lock
      ctx.trace(lockev::WatchdogStopped{owner_, "worker_gone"});
      return true;
    }
    if (!keep_alive_answered_) next_server();
    send_keep_alive(ctx);
    return true;
  }
  const bool timeout = t.is(RaftTimer::kRequestTimeout);
  if (!timeout && !t.is(RaftTimer::kRetry) && !t.is(RaftTimer::kWatchTimeout)) return false;
  if (t.arg == delete_req_ && !releasing_.empty()) {
    if (timeout) next_server();
    send_delete(ctx);
  } else if (t.arg == request_ && phase_ != Phase::kIdle && phase_ != Phase::kHolding) {
    if (timeout) next_server();
    if (phase_ == Phase::kWatch) phase_ = Phase::kCheck;  // look again
    send_request(ctx);
  }
  return true;
}

}  // namespace dsim::locks::raft
