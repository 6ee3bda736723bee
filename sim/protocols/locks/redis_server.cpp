#include "protocols/locks/redis_server.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/redis_records.h"
#include "protocols/locks/renewal_events.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

void RedisServer::on_start(Context& ctx) {
  if (const Payload* c = ctx.storage().get_record("counter")) counter_ = c->as<rec::RedisCounter>()->value;
  if (const Payload* saved = ctx.storage().get_record("key")) {
    const auto* k = saved->as<rec::RedisKey>();
    key_ = Key{k->owner, k->client, Instant{k->expires_at_ns}, k->token};
    events::Grant grant{key_->owner, ctx.cluster().name(key_->client), key_->token};
    grant.restored = true;
    ctx.trace(grant);
    arm_expiry(ctx);
  }
}

void RedisServer::persist(Context& ctx) {
  DurableStore& disk = ctx.storage();
  disk.put("counter", rec::RedisCounter{counter_});
  if (key_) {
    disk.put("key", rec::RedisKey{key_->owner, key_->client, key_->expires_at.ns, key_->token});
  } else {
    disk.erase("key");
  }
  if (s_.persist_sync) disk.sync();
}

void RedisServer::arm_expiry(Context& ctx) {
  ctx.cancel_timer(expiry_timer_);
  expiry_timer_ = ctx.set_timer(std::max(key_->expires_at - ctx.now(), Duration::zero()), LockTimer::kExpire);
}

void RedisServer::freed(Context& ctx, const char* cause, const std::string& by, NodeId by_client) {
  events::Freed f{key_->owner, ctx.cluster().name(key_->client), cause};
  if (by_client != kNoNode) {
    f.by = by;
    f.by_client = ctx.cluster().name(by_client);
  }
  ctx.trace(f);
  key_.reset();
  ctx.cancel_timer(expiry_timer_);
  persist(ctx);
}

void RedisServer::expire_if_due(Context& ctx) {
  if (key_ && ctx.now() >= key_->expires_at) freed(ctx, "expired", "", kNoNode);
}

void RedisServer::on_message(Context& ctx, NodeId from, const Message& m) {
  expire_if_due(ctx);
  if (const auto* a = m.as<AcquireRequest>()) {
    const std::string& owner = a->owner;
    int64_t req = a->has_req ? a->req : 0;
    if (key_) {
      ctx.send(from, AcquireBusy{owner, req});
      return;
    }
    Duration ttl{a->has_ttl ? a->ttl_ns : s_.ttl.ns};
    ++counter_;
    key_ = Key{owner, from, ctx.now() + ttl, counter_};
    persist(ctx);
    arm_expiry(ctx);
    ctx.trace(events::Grant{owner, ctx.cluster().name(from), counter_, key_->expires_at.ns});
    ctx.send(from, AcquireOk{owner, req, counter_});
  } else if (const auto* e = m.as<Extend>()) {
    extend(ctx, from, *e);
  } else if (const auto* r = m.as<ReleaseRequest>()) {
    bool deletes = key_ && (s_.unsafe_release || key_->owner == r->owner);
    if (deletes) freed(ctx, "release", r->owner, from);
    if (deletes) {
      ctx.send(from, ReleaseOk{r->owner});
    } else {
      ctx.send(from, ReleaseRefused{r->owner});
    }
  }
}

// A renewal: extend the key if it still holds the value the renewal names (a
// compare-and-pexpire script); with `renew_unchecked`, whoever holds it (plain PEXPIRE).
void RedisServer::extend(Context& ctx, NodeId from, const Extend& e) {
  bool ok = key_ && (s_.renew_unchecked || key_->owner == e.owner);
  if (ok) {
    key_->expires_at = ctx.now() + Duration{e.ttl_ns};
    persist(ctx);
    arm_expiry(ctx);
    ctx.trace(events::Extended{key_->owner, ctx.cluster().name(key_->client), e.owner, key_->expires_at.ns});
  }
  ctx.send(from, ExtendResult{e.owner, e.req, ok});
}

void RedisServer::on_timer(Context& ctx, const Timer& t) {
  if (!t.is(LockTimer::kExpire) || t.id != expiry_timer_ || !key_) return;
  expire_if_due(ctx);
  if (key_) arm_expiry(ctx);  // the clock stepped back: the end moved away
}

}  // namespace dsim::locks
