#include "protocols/locks/redis_replica.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/redis_records.h"
#include "protocols/locks/renewal_events.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/replication_events.h"
#include "protocols/locks/replication_timers.h"

namespace dsim::locks {

void RedisReplica::on_start(Context& ctx) {
  DurableStore& disk = ctx.storage();
  if (const Payload* saved = disk.get_record("replication")) {
    const auto* r = saved->as<rec::ReplicationState>();
    is_primary_ = r->is_primary;
    primary_ = r->primary;
    epoch_ = r->epoch;
    offset_ = r->offset;
  } else {
    is_primary_ = ctx.self() == first_primary_;
    primary_ = first_primary_;
  }
  if (const Payload* c = disk.get_record("counter")) counter_ = c->as<rec::RedisCounter>()->value;
  if (const Payload* saved = disk.get_record("key")) {
    const auto* k = saved->as<rec::RedisKey>();
    key_ = Key{k->owner, k->client, Instant{k->expires_at_ns}, k->token, /*announced=*/is_primary_};
    if (is_primary_) {
      events::Grant grant{key_->owner, ctx.cluster().name(key_->client), key_->token};
      grant.restored = true;
      ctx.trace(grant);
      arm_expiry(ctx);
    }
  }
  ctx.set_timer(s_.replication.sentinel_ping, ReplTimer::kReplTick);
  if (!is_primary_) ctx.send(primary_, ReplAck{offset_});
}

void RedisReplica::persist(Context& ctx) {
  DurableStore& disk = ctx.storage();
  disk.put("replication", rec::ReplicationState{is_primary_, primary_, epoch_, offset_});
  disk.put("counter", rec::RedisCounter{counter_});
  if (key_) {
    disk.put("key", rec::RedisKey{key_->owner, key_->client, key_->expires_at.ns, key_->token});
  } else {
    disk.erase("key");
  }
  if (s_.persist_sync) disk.sync();
}

void RedisReplica::arm_expiry(Context& ctx) {
  ctx.cancel_timer(expiry_timer_);
  expiry_timer_ = ctx.set_timer(std::max(key_->expires_at - ctx.now(), Duration::zero()), ReplTimer::kExpireKey);
}

void RedisReplica::drop_key(Context& ctx, const char* cause, const std::string& by, NodeId by_client) {
  if (key_->announced) {
    events::Freed f{key_->owner, ctx.cluster().name(key_->client), cause};
    if (by_client != kNoNode) {
      f.by = by;
      f.by_client = ctx.cluster().name(by_client);
    }
    ctx.trace(f);
  }
  key_.reset();
  ctx.cancel_timer(expiry_timer_);
}

void RedisReplica::expire_if_due(Context& ctx) {
  // Replicas wait for the primary's deletion, as Redis replicas do.
  if (!is_primary_ || !key_ || ctx.now() < key_->expires_at) return;
  drop_key(ctx, "expired", "", kNoNode);
  wrote(ctx);
}

void RedisReplica::wrote(Context& ctx) {
  ++offset_;
  persist(ctx);
  for (const auto& [replica, state] : replicas_) ship(ctx, replica);
}

void RedisReplica::ship(Context& ctx, NodeId replica) {
  Replicate r;
  r.epoch = epoch_;
  r.offset = offset_;
  r.counter = counter_;
  r.cluster = &ctx.cluster();
  if (key_) {
    r.has_key = true;
    r.owner = key_->owner;
    r.client = key_->client;
    r.expires_at_ns = key_->expires_at.ns;
    r.token = key_->token;
  }
  ctx.send(replica, std::move(r));
}

int64_t RedisReplica::fresh_replicas(Context& ctx) const {
  int64_t n = 0;
  for (const auto& [replica, state] : replicas_) {
    if (ctx.now() - state.acked_at <= s_.replication.min_replicas_max_lag) ++n;
  }
  return n;
}

int64_t RedisReplica::acked(int64_t offset) const {
  int64_t n = 0;
  for (const auto& [replica, state] : replicas_) {
    if (state.offset >= offset) ++n;
  }
  return n;
}

void RedisReplica::on_message(Context& ctx, NodeId from, const Message& m) {
  expire_if_due(ctx);
  if (const auto* a = m.as<AcquireRequest>()) {
    on_acquire(ctx, from, *a);
  } else if (const auto* r = m.as<ReleaseRequest>()) {
    on_release(ctx, from, *r);
  } else if (const auto* e = m.as<Extend>()) {
    on_extend(ctx, from, *e);
  } else if (const auto* ack = m.as<ReplAck>()) {
    on_ack(ctx, from, ack->offset);
  } else if (const auto* rep = m.as<Replicate>()) {
    on_replicate(ctx, from, *rep);
  } else if (m.is<SentinelPing>()) {
    ctx.send(from, InstanceInfo{is_primary_, primary_, epoch_, offset_, &ctx.cluster()});
  } else if (const auto* p = m.as<Promote>()) {
    if (p->epoch > epoch_) promote(ctx, p->epoch);
  } else if (const auto* f = m.as<ReplicaOf>()) {
    if (f->epoch > epoch_ || (f->epoch == epoch_ && (is_primary_ || primary_ != f->primary))) {
      if (f->primary != ctx.self()) follow(ctx, f->primary, f->epoch);
    }
  }
}

void RedisReplica::on_acquire(Context& ctx, NodeId from, const AcquireRequest& a) {
  int64_t req = a.has_req ? a.req : 0;
  if (!is_primary_) {
    ctx.send(from, ReadOnly{a.owner, req});
    return;
  }
  if (key_) {
    ctx.send(from, AcquireBusy{a.owner, req});
    return;
  }
  if (s_.replication.min_replicas_to_write > 0 && fresh_replicas(ctx) < s_.replication.min_replicas_to_write) {
    ctx.send(from, NoReplicas{a.owner, req});
    return;
  }
  Duration ttl{a.has_ttl ? a.ttl_ns : s_.ttl.ns};
  ++counter_;
  int64_t token = epoch_ * kEpochTokenStride + counter_;
  key_ = Key{a.owner, from, ctx.now() + ttl, token, /*announced=*/true};
  wrote(ctx);
  arm_expiry(ctx);
  ctx.trace(events::Grant{a.owner, ctx.cluster().name(from), token, key_->expires_at.ns});
  if (s_.replication.wait_replicas == 0) {
    ctx.send(from, AcquireOk{a.owner, req, token});
    return;
  }
  TimerId timer = ctx.set_timer(s_.replication.wait_timeout, ReplTimer::kWaitTimeout, offset_);
  waits_.push_back(PendingWait{from, a.owner, req, offset_, timer});
  answer_waits(ctx);  // acknowledged already, if WAIT counts stale replicas (it never does: offset is new)
}

void RedisReplica::answer_waits(Context& ctx) {
  auto done = [&](const PendingWait& w) {
    if (acked(w.offset) < s_.replication.wait_replicas) return false;
    ctx.cancel_timer(w.timer);
    // WAIT answers with the count; the key (and its token) are the SET's.
    std::optional<int64_t> token;
    if (key_ && key_->owner == w.owner) token = key_->token;
    if (token) {
      ctx.send(w.client, AcquireOk{w.owner, w.req, token});
    } else {
      ctx.send(w.client, WaitFailed{w.owner, w.req, acked(w.offset)});  // the key is gone already
    }
    return true;
  };
  waits_.erase(std::remove_if(waits_.begin(), waits_.end(), done), waits_.end());
}

void RedisReplica::on_release(Context& ctx, NodeId from, const ReleaseRequest& r) {
  if (!is_primary_) {
    ctx.send(from, ReadOnly{r.owner, 0});
    return;
  }
  bool deletes = key_ && (s_.unsafe_release || key_->owner == r.owner);
  if (deletes) {
    drop_key(ctx, "release", r.owner, from);
    wrote(ctx);
    ctx.send(from, ReleaseOk{r.owner});
  } else {
    ctx.send(from, ReleaseRefused{r.owner});
  }
}

// A renewal (watchdog.h): on the primary, extend the key if it still holds the value the
// renewal names (compare-and-pexpire), a write like any other, replicated; with
// renew_unchecked, whoever holds it. A replica refuses it (-READONLY), as it refuses SET.
// A promoted replica that never had the key, or has another's, refuses: the lock is lost.
void RedisReplica::on_extend(Context& ctx, NodeId from, const Extend& e) {
  if (!is_primary_) {
    ctx.send(from, ReadOnly{e.owner, e.req});
    return;
  }
  bool ok = key_ && (s_.renew_unchecked || key_->owner == e.owner);
  if (ok) {
    key_->expires_at = ctx.now() + Duration{e.ttl_ns};
    wrote(ctx);
    arm_expiry(ctx);
    ctx.trace(events::Extended{key_->owner, ctx.cluster().name(key_->client), e.owner, key_->expires_at.ns});
  }
  ctx.send(from, ExtendResult{e.owner, e.req, ok});
}

void RedisReplica::on_ack(Context& ctx, NodeId from, int64_t offset) {
  if (!is_primary_) return;
  ReplicaState& state = replicas_[from];
  state.offset = offset;
  state.acked_at = ctx.now();
  if (offset != offset_) ship(ctx, from);  // behind, or from another history: the dataset whole
  answer_waits(ctx);
}

void RedisReplica::on_replicate(Context& ctx, NodeId from, const Replicate& r) {
  if (is_primary_ || from != primary_) return;
  if (r.offset <= synced_offset_) return;  // an older update, overtaken on the way
  if (key_ && (!r.has_key || r.owner != key_->owner || r.token != key_->token)) drop_key(ctx, "resync", "", kNoNode);
  if (r.has_key && !key_) key_ = Key{r.owner, r.client, Instant{r.expires_at_ns}, r.token, /*announced=*/false};
  if (r.has_key) key_->expires_at = Instant{r.expires_at_ns};  // a renewal moved it
  counter_ = r.counter;
  offset_ = r.offset;
  synced_offset_ = r.offset;
  persist(ctx);
  ctx.send(from, ReplAck{offset_});
}

void RedisReplica::promote(Context& ctx, int64_t epoch) {
  is_primary_ = true;
  primary_ = ctx.self();
  epoch_ = epoch;
  offset_ = std::max<int64_t>(offset_, 0);
  replicas_.clear();
  persist(ctx);
  ctx.trace(events::Promoted{epoch_, offset_});
  if (key_) arm_expiry(ctx);
}

void RedisReplica::follow(Context& ctx, NodeId primary, int64_t epoch) {
  bool was_primary = is_primary_;
  is_primary_ = false;
  primary_ = primary;
  epoch_ = epoch;
  offset_ = -1;  // the new primary's dataset replaces this one whole
  synced_offset_ = -1;
  replicas_.clear();
  for (const PendingWait& w : waits_) ctx.cancel_timer(w.timer);
  waits_.clear();  // the clients' WAITs go unanswered: the connection is dropped
  ctx.cancel_timer(expiry_timer_);
  persist(ctx);
  ctx.trace(events::FollowPrimary{ctx.cluster().name(primary), epoch_, was_primary});
  ctx.send(primary_, ReplAck{offset_});
}

void RedisReplica::on_timer(Context& ctx, const Timer& t) {
  if (t.is(ReplTimer::kReplTick)) {
    if (!is_primary_) ctx.send(primary_, ReplAck{offset_});
    ctx.set_timer(s_.replication.sentinel_ping, ReplTimer::kReplTick);
  } else if (t.is(ReplTimer::kExpireKey)) {
    if (t.id != expiry_timer_ || !key_ || !is_primary_) return;
    expire_if_due(ctx);
    if (key_) arm_expiry(ctx);  // the clock stepped back: the end moved away
  } else if (t.is(ReplTimer::kWaitTimeout)) {
    auto it = std::find_if(waits_.begin(), waits_.end(), [&](const PendingWait& w) { return w.timer == t.id; });
    if (it == waits_.end()) return;
    ctx.send(it->client, WaitFailed{it->owner, it->req, acked(it->offset)});
    waits_.erase(it);
  }
}

}  // namespace dsim::locks
