#include "protocols/2pc/replicated_primary.h"

#include <algorithm>
#include <iterator>

#include "protocols/2pc/group_context.h"
#include "protocols/2pc/replication.h"

namespace dsim::twopc {

ReplicatedPrimary::ReplicatedPrimary(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

int64_t ReplicatedPrimary::log_length(Context& ctx) {
  return static_cast<int64_t>(ctx.storage().read_records("wal").size());
}

template <typename Step>
void ReplicatedPrimary::step(Context& ctx, Step&& run) {
  const bool sync = s_->replication.synchronous;
  auto on_send = [this](NodeId to, Message m) { step_out_.push_back(Output{to, std::move(m), std::nullopt}); };
  auto on_trace = [this, sync](PayloadRef e) {
    const auto* v = e.as<ev::VoteCast>();
    if (!sync || v == nullptr || v->vote != VoteValue::kYes) return false;
    Output out;
    out.vote.emplace(v->tx, *v);
    step_out_.push_back(std::move(out));
    return true;
  };
  GroupContext g(ctx, ctx.self(), on_send, &inner_timers_, on_trace);
  run(g);
  const int64_t n = log_length(ctx);
  if (sync && n > shipped_) ship(ctx);
  for (Output& out : step_out_) {
    if (!sync || (held_.empty() && acked_ >= n)) {
      emit(ctx, out);
    } else {
      held_.push_back({n, std::move(out)});
    }
  }
  step_out_.clear();
}

void ReplicatedPrimary::emit(Context& ctx, Output& out) {
  if (out.vote) {
    // A decision that came while the vote waited (an abort: the others voted no) made
    // the promise moot; its event would come after the outcome's.
    auto state = inner_ ? inner_->state_of(out.vote->first) : std::nullopt;
    if (state == ParticipantBase::State::kPrepared) {
      out.vote->second.tx = out.vote->first;
      ctx.trace(out.vote->second);
    }
  } else {
    ctx.send(out.to, std::move(out.message));
  }
}

void ReplicatedPrimary::on_start(Context& ctx) {
  replica_ = s_->replication.replica_of(ctx.self());
  heartbeat(ctx);
}

void ReplicatedPrimary::heartbeat(Context& ctx) {
  if (demoted_) return;
  check_lease(ctx);
  ship(ctx);
  ctx.set_timer(s_->replication.interval, ReplTimer::kHeartbeat);
}

void ReplicatedPrimary::ship(Context& ctx) {
  msg::ReplAppend a;
  a.epoch = ctx.incarnation();
  a.beat = beat_;
  sent_at_[beat_] = ctx.now();
  ctx.set_timer(s_->replication.lease, ReplTimer::kLeaseExpiry, beat_++);
  const int64_t n = log_length(ctx);
  if (acked_ < 0) {
    a.from = n;  // a probe: the replica answers how much it holds
  } else {
    if (ctx.storage().unsynced_writes() > 0) ctx.storage().sync();
    a.from = acked_;
    RecordLog log = ctx.storage().read_records("wal");
    for (int64_t i = acked_; i < n; ++i) a.records.push_back(log[static_cast<size_t>(i)]);
    shipped_ = n;
  }
  ctx.send(replica_, std::move(a));
}

void ReplicatedPrimary::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* ack = m.as<msg::ReplAck>()) {
    if (from == replica_ && ack->epoch == ctx.incarnation()) on_ack(ctx, *ack);
    return;
  }
  if (m.as<msg::Fenced>() != nullptr) {
    if (from != replica_ || demoted_) return;
    drop_state(ctx);
    demoted_ = true;
    ctx.trace(ev::Demoted{ctx.self(), replica_, &ctx.cluster()});
    return;
  }
  if (demoted_) {
    ctx.send(from, msg::NewPrimary{ctx.self(), replica_, &ctx.cluster()});
    return;
  }
  check_lease(ctx);
  if (!inner_) return;  // not serving: the sender will ask again
  step(ctx, [&](Context& g) { inner_->on_message(g, from, m); });
}

void ReplicatedPrimary::on_timer(Context& ctx, const Timer& t) {
  if (t.code >= kFirstReplTimer) {
    if (t.is(ReplTimer::kHeartbeat)) {
      heartbeat(ctx);
    } else if (t.is(ReplTimer::kLeaseExpiry)) {
      expired_beat_ = std::max(expired_beat_, t.arg);
      sent_at_.erase(sent_at_.begin(), sent_at_.upper_bound(t.arg));
      check_lease(ctx);
    }
    return;
  }
  check_lease(ctx);
  if (!inner_ || inner_timers_.erase(t.id) == 0) return;  // a timer of a state dropped since
  step(ctx, [&](Context& g) { inner_->on_timer(g, t); });
}

void ReplicatedPrimary::on_ack(Context& ctx, const msg::ReplAck& ack) {
  if (demoted_) return;
  acked_ = std::max(acked_, ack.upto);
  auto sent = sent_at_.find(ack.beat);
  if (ack.beat > acked_beat_ && sent != sent_at_.end()) {
    acked_beat_ = ack.beat;
    lease_until_ = sent->second + s_->replication.lease;
    sent_at_.erase(sent_at_.begin(), std::next(sent));
  }
  check_lease(ctx);
  if (!inner_ && leased(ctx)) start_serving(ctx);
  release(ctx);
  // After a probe, or when the replica is behind: ship what it lacks now.
  if (acked_ < log_length(ctx) && s_->replication.synchronous) ship(ctx);
}

void ReplicatedPrimary::start_serving(Context& ctx) {
  inner_ = std::make_unique<TwoPhaseParticipant>(s_);
  step(ctx, [&](Context& g) { inner_->on_start(g); });
}

void ReplicatedPrimary::check_lease(Context& ctx) {
  if (!inner_ || leased(ctx)) return;
  drop_state(ctx);
  ctx.trace(ev::LeaseLost{});
}

void ReplicatedPrimary::drop_state(Context& ctx) {
  for (TimerId id : inner_timers_) ctx.cancel_timer(id);
  inner_timers_.clear();
  inner_.reset();
  held_.clear();
}

void ReplicatedPrimary::release(Context& ctx) {
  while (!held_.empty() && held_.front().need <= acked_) {
    emit(ctx, held_.front().out);
    held_.pop_front();
  }
}

}  // namespace dsim::twopc
