#include "protocols/locks/sentinel.h"

#include <algorithm>

#include "protocols/locks/redis_records.h"
#include "protocols/locks/replication_events.h"
#include "protocols/locks/replication_messages.h"
#include "protocols/locks/replication_timers.h"

namespace dsim::locks {

namespace rec {
// A sentinel's sentinel.conf: its configuration, current epoch and vote.
struct SentinelState {
  static constexpr std::string_view kName = "sentinel";
  NodeId primary = kNoNode;
  int64_t config_epoch = 0;
  int64_t current_epoch = 0;
  int64_t voted_epoch = 0;
  NodeId voted_for = kNoNode;
  void write_fields(Json& out) const {
    out["primary"] = primary;
    out["config_epoch"] = config_epoch;
    out["current_epoch"] = current_epoch;
    out["voted_epoch"] = voted_epoch;
    out["voted_for"] = voted_for;
  }
};
}  // namespace rec

Sentinel::Sentinel(const ReplicationSettings& settings, std::vector<NodeId> instances, std::vector<NodeId> sentinels)
    : s_(settings), instances_(std::move(instances)), sentinels_(std::move(sentinels)) {}

size_t Sentinel::quorum() const {
  return s_.sentinel_quorum > 0 ? static_cast<size_t>(s_.sentinel_quorum) : majority();
}

void Sentinel::on_start(Context& ctx) {
  primary_ = instances_.front();
  if (const Payload* saved = ctx.storage().get_record("sentinel")) {
    const auto* st = saved->as<rec::SentinelState>();
    primary_ = st->primary;
    config_epoch_ = st->config_epoch;
    current_epoch_ = st->current_epoch;
    voted_epoch_ = st->voted_epoch;
    voted_for_ = st->voted_for;
  }
  started_at_ = ctx.now();
  next_failover_ = ctx.now();
  ctx.set_timer(s_.sentinel_ping, ReplTimer::kSentinelTick);
}

void Sentinel::persist(Context& ctx) {
  ctx.storage().put("sentinel", rec::SentinelState{primary_, config_epoch_, current_epoch_, voted_epoch_, voted_for_});
  ctx.storage().sync();
}

void Sentinel::on_timer(Context& ctx, const Timer& t) {
  if (t.is(ReplTimer::kSentinelFailover)) {
    if (t.id != failover_timer_) return;
    failover_timer_ = 0;
    if (odown_ && ctx.now() >= next_failover_) start_failover(ctx);
    return;
  }
  if (!t.is(ReplTimer::kSentinelTick)) return;
  tick(ctx);
  ctx.set_timer(s_.sentinel_ping, ReplTimer::kSentinelTick);
}

void Sentinel::tick(Context& ctx) {
  for (NodeId n : instances_) ctx.send(n, SentinelPing{});
  for (NodeId s : sentinels_) {
    if (s != ctx.self()) ctx.send(s, SentinelHello{primary_, config_epoch_, &ctx.cluster()});
  }
  check_down(ctx);
  reconfigure(ctx);
}

void Sentinel::check_down(Context& ctx) {
  const Info& p = info_[primary_];
  Instant last = p.known ? std::max(p.at, started_at_) : started_at_;
  bool down = ctx.now() - last > s_.down_after;
  if (!down) {
    sdown_ = odown_ = false;
    down_reports_.clear();
    return;
  }
  if (!sdown_) {
    sdown_ = true;
    ctx.trace(events::Sdown{ctx.cluster().name(primary_)});
  }
  // Only recent answers count: a sentinel that said "down" long ago may see it up now.
  std::erase_if(down_reports_, [&](const auto& r) { return ctx.now() - r.second > s_.down_after; });
  size_t agreeing = down_reports_.size() + 1;
  if (!odown_ && agreeing >= quorum()) {
    odown_ = true;
    ctx.trace(events::Odown{ctx.cluster().name(primary_), static_cast<int64_t>(agreeing)});
  }
  // A failover not won by failover_timeout is abandoned and tried again in a new epoch.
  // Its start is delayed at random, as Sentinel desynchronises its sentinels, so that
  // they do not all ask for votes at once and split them.
  if (odown_ && ctx.now() >= next_failover_ && failover_timer_ == 0) {
    Duration delay = ctx.rng().uniform_duration(Duration::zero(), s_.sentinel_ping * 5);
    failover_timer_ = ctx.set_timer(delay, ReplTimer::kSentinelFailover);
    return;
  }
  for (NodeId s : sentinels_) {
    if (s != ctx.self()) ctx.send(s, IsPrimaryDown{primary_, current_epoch_, false, &ctx.cluster()});
  }
}

void Sentinel::start_failover(Context& ctx) {
  ++current_epoch_;
  failover_epoch_ = current_epoch_;
  voted_epoch_ = current_epoch_;
  voted_for_ = ctx.self();
  persist(ctx);
  votes_ = {ctx.self()};
  next_failover_ = ctx.now() + s_.failover_timeout;
  ctx.trace(events::FailoverStart{ctx.cluster().name(primary_), failover_epoch_});
  for (NodeId s : sentinels_) {
    if (s != ctx.self()) ctx.send(s, IsPrimaryDown{primary_, failover_epoch_, true, &ctx.cluster()});
  }
  count_vote(ctx, ctx.self());
}

void Sentinel::count_vote(Context& ctx, NodeId from) {
  votes_.insert(from);
  if (votes_.size() < std::max(majority(), quorum())) return;
  // Elected: promote the replica with the most data among those heard from lately.
  NodeId best = kNoNode;
  int64_t best_offset = -1;
  for (NodeId n : instances_) {
    const Info& i = info_[n];
    if (n == primary_ || !i.known || i.is_primary || ctx.now() - i.at > s_.down_after) continue;
    if (i.offset > best_offset) {
      best = n;
      best_offset = i.offset;
    }
  }
  int64_t epoch = failover_epoch_;
  failover_epoch_ = 0;
  votes_.clear();
  if (best == kNoNode) return;  // no replica to promote: try again after the timeout
  ctx.send(best, Promote{epoch});
  adopt(ctx, best, epoch);
}

void Sentinel::adopt(Context& ctx, NodeId primary, int64_t epoch) {
  if (epoch <= config_epoch_) return;
  NodeId old = primary_;
  primary_ = primary;
  config_epoch_ = epoch;
  current_epoch_ = std::max(current_epoch_, epoch);
  sdown_ = odown_ = false;
  down_reports_.clear();
  failover_epoch_ = 0;
  votes_.clear();
  ctx.cancel_timer(failover_timer_);
  failover_timer_ = 0;
  started_at_ = ctx.now();  // the new primary gets down_after to answer
  persist(ctx);
  ctx.trace(events::SwitchPrimary{ctx.cluster().name(old), ctx.cluster().name(primary_), config_epoch_});
}

void Sentinel::reconfigure(Context& ctx) {
  for (NodeId n : instances_) {
    const Info& i = info_[n];
    if (!i.known || ctx.now() - i.at > s_.down_after || i.epoch > config_epoch_) continue;
    if (n == primary_) {
      // Promoted by this configuration but not yet told (the promotion was lost).
      if (!i.is_primary) ctx.send(n, Promote{config_epoch_});
    } else if (i.is_primary || i.primary != primary_) {
      ctx.send(n, ReplicaOf{primary_, config_epoch_, &ctx.cluster()});
    }
  }
}

void Sentinel::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* info = m.as<InstanceInfo>()) {
    Info& i = info_[from];
    i = Info{true, info->is_primary, info->primary, info->epoch, info->offset, ctx.now()};
    // An instance that took a newer configuration than ours tells us the failover.
    if (info->epoch > config_epoch_) adopt(ctx, info->is_primary ? from : info->primary, info->epoch);
  } else if (const auto* hello = m.as<SentinelHello>()) {
    adopt(ctx, hello->primary, hello->epoch);
  } else if (const auto* q = m.as<IsPrimaryDown>()) {
    bool voted = false;
    if (q->vote) {
      if (q->epoch > current_epoch_) current_epoch_ = q->epoch;
      if (q->epoch > voted_epoch_) {
        voted_epoch_ = q->epoch;
        voted_for_ = from;
        persist(ctx);
        // Having voted for another, it leaves it the time to fail over (as Sentinel does).
        next_failover_ = std::max(next_failover_, ctx.now() + s_.failover_timeout);
      }
      voted = voted_epoch_ == q->epoch && voted_for_ == from;
    }
    bool down = q->primary == primary_ && sdown_;
    ctx.send(from, IsPrimaryDownReply{q->primary, down, q->epoch, voted, &ctx.cluster()});
  } else if (const auto* r = m.as<IsPrimaryDownReply>()) {
    if (r->primary != primary_) return;
    if (r->down) down_reports_[from] = ctx.now();
    if (r->voted && failover_epoch_ != 0 && r->epoch == failover_epoch_) count_vote(ctx, from);
  } else if (const auto* g = m.as<GetPrimary>()) {
    ctx.send(from, PrimaryAddr{primary_, config_epoch_, g->req, &ctx.cluster()});
  }
}

}  // namespace dsim::locks
