#include "protocols/locks/consul_server.h"

#include "protocols/locks/consul_records.h"
#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

void ConsulServer::on_start(Context& ctx) {
  const Payload* record = ctx.storage().get_record("consul");
  if (record == nullptr) return;
  const auto* saved = record->as<rec::ConsulState>();
  next_session_ = saved->next_session;
  for (const auto& s : saved->sessions) sessions_[s.id] = s.client;
  const rec::ConsulState::Key& k = saved->key;
  key_ = Key{k.session, k.owner, k.client, k.lock_index, k.modify_index};
  // A new leader gives every session a full TTL again.
  for (const auto& [id, client] : sessions_) arm_session(ctx, id);
  if (key_.session != 0) {
    events::Grant grant{key_.owner, ctx.cluster().name(key_.client), key_.lock_index};
    grant.restored = true;
    ctx.trace(grant);
  }
}

void ConsulServer::persist(Context& ctx) {
  rec::ConsulState state;
  state.next_session = next_session_;
  state.sessions.reserve(sessions_.size());
  for (const auto& [id, client] : sessions_) state.sessions.push_back({id, client});
  state.key = rec::ConsulState::Key{key_.session, key_.owner, key_.client, key_.lock_index, key_.modify_index};
  ctx.storage().put("consul", std::move(state));
  ctx.storage().sync();
}

void ConsulServer::arm_session(Context& ctx, int64_t id) {
  auto it = session_timers_.find(id);
  if (it != session_timers_.end()) ctx.cancel_timer(it->second);
  session_timers_[id] = ctx.set_timer(s_.session_ttl, LockTimer::kSessionTtl, id);
}

KeyChanged ConsulServer::key_state(int64_t req) const {
  return KeyChanged{key_.modify_index, key_.session != 0, req, std::nullopt};
}

void ConsulServer::acquire(Context& ctx, NodeId from, const ConsulAcquire& a) {
  int64_t session = a.session;
  AcquireResult reply;
  reply.modify_index = key_.modify_index;
  reply.held = key_.session != 0;
  reply.req = a.req;
  if (sessions_.count(session) == 0) {
    reply.session_invalid = true;
  } else if (key_.session == session) {
    // Acquiring again with the holding session succeeds without a new lock index; a new
    // value (owner) replaces the old one, which the trace shows as a hand-over.
    const std::string& owner = a.owner;
    if (owner != key_.owner) {
      ctx.trace(events::Freed{key_.owner, ctx.cluster().name(key_.client), "reacquired"});
      key_.owner = owner;
      persist(ctx);
      events::Grant grant{owner, ctx.cluster().name(from), key_.lock_index};
      grant.same_session = true;
      ctx.trace(grant);
    }
    reply.ok = true;
    reply.lock_index = key_.lock_index;
  } else if (key_.session == 0 && !lock_delay_) {
    key_.session = session;
    key_.owner = a.owner;
    key_.client = from;
    ++key_.lock_index;
    ++key_.modify_index;
    persist(ctx);
    ctx.trace(events::Grant{key_.owner, ctx.cluster().name(from), key_.lock_index});
    reply.modify_index = key_.modify_index;
    reply.held = true;
    reply.ok = true;
    reply.lock_index = key_.lock_index;
    answer_waiters(ctx);
  }
  reply.owner = a.owner;
  ctx.send(from, std::move(reply));
}

void ConsulServer::free_key(Context& ctx, const char* cause, const std::string& by, NodeId by_client) {
  ++key_.modify_index;
  events::Freed f{key_.owner, ctx.cluster().name(key_.client), cause, key_.modify_index};
  if (by_client != kNoNode) {
    f.by = by;
    f.by_client = ctx.cluster().name(by_client);
  }
  ctx.trace(f);
  key_.session = 0;
  persist(ctx);
  answer_waiters(ctx);
}

void ConsulServer::invalidate(Context& ctx, int64_t id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  ctx.trace(events::SessionInvalidated{id, ctx.cluster().name(it->second)});
  sessions_.erase(it);
  session_timers_.erase(id);
  if (key_.session == id) {
    free_key(ctx, "session_invalidated");
    if (s_.lock_delay > Duration::zero()) {
      lock_delay_ = true;
      ctx.cancel_timer(lock_delay_timer_);
      lock_delay_timer_ = ctx.set_timer(s_.lock_delay, LockTimer::kLockDelayEnd);
      ctx.trace(events::LockDelayStart{s_.lock_delay.ns});
    }
  } else {
    persist(ctx);
  }
}

void ConsulServer::answer_waiters(Context& ctx) {
  for (const Waiter& w : waiters_) {
    KeyChanged changed = key_state(w.req);
    changed.release_id = key_.modify_index;
    ctx.send(w.client, changed);
  }
  waiters_.clear();
}

void ConsulServer::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* create = m.as<CreateSession>()) {
    int64_t id = next_session_++;
    sessions_[id] = from;
    persist(ctx);
    arm_session(ctx, id);
    ctx.trace(events::SessionCreated{id, ctx.cluster().name(from)});
    ctx.send(from, SessionCreated{id, create->req});
  } else if (const auto* renew = m.as<Renew>()) {
    int64_t id = renew->session;
    bool valid = sessions_.count(id) != 0;
    if (valid) arm_session(ctx, id);
    ctx.send(from, Renewed{id, valid});
  } else if (const auto* a = m.as<ConsulAcquire>()) {
    acquire(ctx, from, *a);
  } else if (const auto* release = m.as<ConsulRelease>()) {
    int64_t session = release->session;
    // Only the hold the request names: an older release of the same session, delivered
    // late, finds a newer lock index and frees nothing.
    if (key_.session != 0 && key_.session == session && key_.lock_index == release->lock_index) {
      free_key(ctx, "release", release->owner, from);
    }
    ctx.send(from, Released{session, release->owner});
  } else if (const auto* watch = m.as<Watch>()) {
    // A blocking query: answer at once if the key moved past the caller's index.
    if (key_.modify_index > watch->index) {
      ctx.send(from, key_state(watch->req));
    } else {
      waiters_.push_back(Waiter{from, watch->req});
    }
  }
}

void ConsulServer::on_timer(Context& ctx, const Timer& t) {
  if (t.is(LockTimer::kLockDelayEnd)) {
    if (t.id != lock_delay_timer_) return;
    lock_delay_ = false;
    ctx.trace(events::LockDelayEnd{});
    return;
  }
  if (!t.is(LockTimer::kSessionTtl)) return;
  auto it = session_timers_.find(t.arg);
  if (it == session_timers_.end() || it->second != t.id) return;
  invalidate(ctx, t.arg);
}

}  // namespace dsim::locks
