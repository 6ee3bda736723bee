#include "protocols/2pc/participant_replica.h"

#include "protocols/2pc/group_context.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/replication.h"

namespace dsim::twopc {

namespace {
constexpr const char* kPromotedKey = "promoted";
}

DiskStatus append_wal_copy(DurableStore& store, const Payload& r) {
  if (const auto* x = r.as<rec::Open>()) return store.append("wal", *x);
  if (const auto* x = r.as<rec::Prepared>()) return store.append("wal", *x);
  if (const auto* x = r.as<rec::PreCommit>()) return store.append("wal", *x);
  if (const auto* x = r.as<rec::Commit>()) return store.append("wal", *x);
  if (const auto* x = r.as<rec::Abort>()) return store.append("wal", *x);
  throw std::logic_error("a participant log holds no record named " + std::string(r.name()));
}

ParticipantReplica::ParticipantReplica(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

void ParticipantReplica::on_start(Context& ctx) {
  group_ = s_->replication.group_of(ctx.self());
  if (ctx.storage().get_record(kPromotedKey) != nullptr) {
    promoted_ = true;
    serve(ctx);
    return;
  }
  DurableStore& store = ctx.storage();
  if (store.read_records("wal").empty()) {
    std::map<std::string, int64_t> balances;
    for (const std::string& a : s_->layout.accounts_of(group_)) balances[a] = s_->workload.initial_balance;
    store.append("wal", rec::Open{std::move(balances)});
    store.sync();
  }
  arm_failover(ctx);
}

void ParticipantReplica::arm_failover(Context& ctx) {
  if (failover_timer_ != 0) ctx.cancel_timer(failover_timer_);
  failover_timer_ = ctx.set_timer(s_->replication.failover_after, ReplTimer::kFailover);
}

void ParticipantReplica::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* a = m.as<msg::ReplAppend>()) {
    if (from != group_) return;
    if (promoted_) {
      ctx.send(from, msg::Fenced{});
    } else {
      apply(ctx, from, *a);
    }
    return;
  }
  if (!inner_) return;  // a replica serves nothing
  GroupContext g(ctx, group_, [&ctx](NodeId to, Message out) { ctx.send(to, std::move(out)); }, nullptr);
  inner_->on_message(g, from, m);
}

void ParticipantReplica::apply(Context& ctx, NodeId from, const msg::ReplAppend& a) {
  const int64_t first = a.from;
  const std::vector<Payload>& records = a.records;
  DurableStore& store = ctx.storage();
  const auto have = static_cast<int64_t>(store.read_records("wal").size());
  bool wrote = false;
  for (int64_t i = have - first; first <= have && i < static_cast<int64_t>(records.size()); ++i) {
    append_wal_copy(store, records[static_cast<size_t>(i)]);
    wrote = true;
  }
  if (wrote) store.sync();
  arm_failover(ctx);
  ctx.send(from, msg::ReplAck{static_cast<int64_t>(store.read_records("wal").size()), a.epoch, a.beat});
}

void ParticipantReplica::on_timer(Context& ctx, const Timer& t) {
  if (t.is(ReplTimer::kFailover)) {
    if (t.id == failover_timer_ && !promoted_) promote(ctx);
  } else if (t.is(ReplTimer::kAnnounce)) {
    announce(ctx);
    ctx.set_timer(s_->replication.failover_after, ReplTimer::kAnnounce);
  } else if (inner_ && t.code < kFirstReplTimer) {
    GroupContext g(ctx, group_, [&ctx](NodeId to, Message out) { ctx.send(to, std::move(out)); }, nullptr);
    inner_->on_timer(g, t);
  }
}

void ParticipantReplica::promote(Context& ctx) {
  ctx.storage().put(kPromotedKey, rec::PromotedMark{});
  ctx.storage().sync();
  promoted_ = true;
  ctx.trace(ev::Failover{group_, static_cast<int64_t>(ctx.storage().read_records("wal").size()), &ctx.cluster()});
  serve(ctx);
}

void ParticipantReplica::serve(Context& ctx) {
  announce(ctx);  // first, so the coordinators route the answers to what recovery asks
  inner_ = std::make_unique<TwoPhaseParticipant>(s_);
  GroupContext g(ctx, group_, [&ctx](NodeId to, Message out) { ctx.send(to, std::move(out)); }, nullptr);
  inner_->on_start(g);
  ctx.set_timer(s_->replication.failover_after, ReplTimer::kAnnounce);
}

void ParticipantReplica::announce(Context& ctx) {
  for (NodeId c : s_->coordinators) ctx.send(c, msg::NewPrimary{group_, ctx.self(), &ctx.cluster()});
}

}  // namespace dsim::twopc
