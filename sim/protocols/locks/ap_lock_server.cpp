#include "protocols/locks/ap_lock_server.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/redis_records.h"
#include "protocols/locks/replication_timers.h"

namespace dsim::locks {

namespace events {
// Membership as a member sees it, and a member taking the lock over.
struct MemberRemoved {
  static constexpr std::string_view kName = "member_removed";
  std::string_view member{};
  void write_fields(Json& out) const { out["member"] = std::string(member); }
};
struct MemberJoined {
  static constexpr std::string_view kName = "member_joined";
  std::string_view member{};
  void write_fields(Json& out) const { out["member"] = std::string(member); }
};
struct TookOwnership {
  static constexpr std::string_view kName = "took_ownership";
  std::string_view cause{};
  bool has_key = false;
  void write_fields(Json& out) const {
    out["cause"] = std::string(cause);
    out["has_key"] = has_key;
  }
};
}  // namespace events

void ApLockServer::save_counter(Context& ctx) {
  ctx.storage().put("counter", rec::RedisCounter{counter_});
  ctx.storage().sync();
}

void ApLockServer::on_start(Context& ctx) {
  // The lock lives in memory, as Hazelcast's does; only the grant counter is on disk, so
  // that tokens keep growing even when both members restart.
  if (const Payload* c = ctx.storage().get_record("counter")) counter_ = c->as<rec::RedisCounter>()->value;
  // A restarted member has lost its memory and joins anew.
  is_owner_ = ctx.incarnation() == 0 && ctx.self() == first_owner_;
  peer_present_ = ctx.incarnation() == 0;
  if (ctx.incarnation() > 0) seq_ = -1;  // anything the owner sends is news
  last_heard_ = ctx.now();
  send_heartbeat(ctx);
  ctx.set_timer(s_.ap.member_heartbeat, ReplTimer::kMemberHeartbeat);
}

void ApLockServer::send_heartbeat(Context& ctx) {
  MemberHeartbeat hb;
  hb.owner = is_owner_;
  hb.cluster = &ctx.cluster();
  if (is_owner_) {
    hb.incarnation = ctx.incarnation();
    hb.seq = seq_;
    hb.counter = counter_;
    if (key_) {
      hb.has_key = true;
      hb.holder = key_->owner;
      hb.client = key_->client;
      hb.expires_at_ns = key_->expires_at.ns;
      hb.token = key_->token;
    }
  }
  ctx.send(peer_, std::move(hb));
}

void ApLockServer::take_ownership(Context& ctx, const char* cause) {
  is_owner_ = true;
  acked_seq_ = seq_;
  ctx.trace(events::TookOwnership{cause, key_.has_value()});
}

void ApLockServer::drop_key(Context& ctx, const char* cause, const std::string& by, NodeId by_client) {
  if (key_->announced) {
    events::Freed f{key_->owner, ctx.cluster().name(key_->client), cause};
    if (by_client != kNoNode) {
      f.by = by;
      f.by_client = ctx.cluster().name(by_client);
    }
    ctx.trace(f);
  }
  key_.reset();
}

void ApLockServer::expire_if_due(Context& ctx) {
  if (!is_owner_ || !key_ || ctx.now() < key_->expires_at) return;
  drop_key(ctx, "expired", "", kNoNode);
  changed(ctx);
}

void ApLockServer::changed(Context& ctx) {
  ++seq_;
  if (peer_present_) send_heartbeat(ctx);
}

void ApLockServer::answer_pending(Context& ctx, bool backup_gone) {
  auto done = [&](const Pending& p) {
    if (!backup_gone && p.seq > acked_seq_) return false;
    if (backup_gone && members() < s_.ap.split_brain_protection) {
      // Split-brain protection: the grant was never backed up and this side is too
      // small to stand alone; it fails, and its key goes with it.
      if (key_ && key_->owner == p.owner && key_->token == p.token) {
        drop_key(ctx, "no_quorum", "", kNoNode);
        changed(ctx);
      }
      ctx.send(p.client, NoQuorum{p.owner, p.req});
      return true;
    }
    ctx.send(p.client, AcquireOk{p.owner, p.req, p.token});
    return true;
  };
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(), done), pending_.end());
}

void ApLockServer::on_timer(Context& ctx, const Timer& t) {
  if (!t.is(ReplTimer::kMemberHeartbeat)) return;
  expire_if_due(ctx);
  send_heartbeat(ctx);
  ctx.set_timer(s_.ap.member_heartbeat, ReplTimer::kMemberHeartbeat);
  if (ctx.now() - last_heard_ <= s_.ap.member_timeout) return;
  if (peer_present_) {
    peer_present_ = false;
    ctx.trace(events::MemberRemoved{ctx.cluster().name(peer_)});
    if (is_owner_) answer_pending(ctx, /*backup_gone=*/true);
  }
  if (!is_owner_) take_ownership(ctx, "member_removed");
}

void ApLockServer::on_heartbeat(Context& ctx, const MemberHeartbeat& hb) {
  last_heard_ = ctx.now();
  if (!peer_present_) {
    peer_present_ = true;
    ctx.trace(events::MemberJoined{ctx.cluster().name(peer_)});
  }
  if (!hb.owner) {
    // Neither owns the lock (both restarted): the lower node id takes it.
    if (!is_owner_ && ctx.self() < peer_) take_ownership(ctx, "no_owner");
    return;
  }
  if (is_owner_) {
    // Split brain healed: two owners. The lower node id keeps its lock.
    if (ctx.self() < peer_) return;
    is_owner_ = false;
    pending_.clear();  // their clients are never answered
    if (key_) drop_key(ctx, "merged", "", kNoNode);
    seq_ = -1;  // take the winner's state whole
  }
  // Changes are numbered per owner incarnation: a restarted owner starts again from 0.
  bool newer = hb.incarnation > owner_incarnation_ || (hb.incarnation == owner_incarnation_ && hb.seq > seq_);
  if (!newer) {
    if (hb.incarnation == owner_incarnation_ && hb.seq == seq_) ctx.send(peer_, MemberAck{seq_});
    return;  // the same state again, or an older one overtaken on the way
  }
  owner_incarnation_ = hb.incarnation;
  if (key_ && (!hb.has_key || hb.holder != key_->owner || hb.token != key_->token)) drop_key(ctx, "merged", "", kNoNode);
  if (hb.has_key && !key_) key_ = Key{hb.holder, hb.client, Instant{hb.expires_at_ns}, hb.token, false};
  if (hb.counter > counter_) {
    counter_ = hb.counter;
    save_counter(ctx);
  }
  seq_ = hb.seq;
  ctx.send(peer_, MemberAck{seq_});
}

void ApLockServer::on_acquire(Context& ctx, NodeId from, const AcquireRequest& a) {
  int64_t req = a.has_req ? a.req : 0;
  if (!is_owner_) {
    ctx.send(from, NotOwner{a.owner, req});
    return;
  }
  if (members() < s_.ap.split_brain_protection) {
    ctx.send(from, NoQuorum{a.owner, req});
    return;
  }
  if (key_) {
    ctx.send(from, AcquireBusy{a.owner, req});
    return;
  }
  Duration ttl{a.has_ttl ? a.ttl_ns : s_.ttl.ns};
  ++counter_;
  save_counter(ctx);
  key_ = Key{a.owner, from, ctx.now() + ttl, counter_, true};
  ctx.trace(events::Grant{a.owner, ctx.cluster().name(from), counter_, key_->expires_at.ns});
  changed(ctx);
  if (!peer_present_) {
    ctx.send(from, AcquireOk{a.owner, req, counter_});
    return;
  }
  pending_.push_back(Pending{from, a.owner, req, seq_, counter_});
}

void ApLockServer::on_release(Context& ctx, NodeId from, const ReleaseRequest& r) {
  if (!is_owner_) {
    ctx.send(from, NotOwner{r.owner, 0});
    return;
  }
  if (key_ && key_->owner == r.owner) {
    drop_key(ctx, "release", r.owner, from);
    changed(ctx);
    ctx.send(from, ReleaseOk{r.owner});
  } else {
    ctx.send(from, ReleaseRefused{r.owner});
  }
}

void ApLockServer::on_message(Context& ctx, NodeId from, const Message& m) {
  expire_if_due(ctx);
  if (const auto* hb = m.as<MemberHeartbeat>()) {
    if (from == peer_) on_heartbeat(ctx, *hb);
  } else if (const auto* ack = m.as<MemberAck>()) {
    if (from != peer_ || !is_owner_) return;
    last_heard_ = ctx.now();
    acked_seq_ = std::max(acked_seq_, ack->seq);
    answer_pending(ctx, /*backup_gone=*/false);
  } else if (const auto* a = m.as<AcquireRequest>()) {
    on_acquire(ctx, from, *a);
  } else if (const auto* r = m.as<ReleaseRequest>()) {
    on_release(ctx, from, *r);
  }
}

}  // namespace dsim::locks
