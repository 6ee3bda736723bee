#include "protocols/locks/lock_client.h"

#include <algorithm>

#include "core/client_op.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

LockClient::LockClient(const WorkloadSettings& workload, bool fencing, NodeId resource,
                       const RecipeFactory& make_recipe)
    : w_(workload), fencing_(fencing), resource_(resource), recipe_(make_recipe(*this)) {}

Duration LockClient::first_start(Context& ctx) const {
  auto named = w_.starts.find(ctx.name());
  if (named != w_.starts.end()) return named->second;
  const std::vector<NodeId>& clients = ctx.cluster().with_role(ctx.role());
  int64_t index = std::find(clients.begin(), clients.end(), ctx.self()) - clients.begin();
  return w_.start + w_.stagger * index;
}

void LockClient::on_start(Context& ctx) {
  recipe_->start(ctx);
  // A restarted client has lost its place; it begins again after a pause for thought.
  Duration first = ctx.incarnation() == 0 ? first_start(ctx) : w_.think_time;
  ctx.set_timer(first, LockTimer::kClientNextRound);
}

void LockClient::begin_round(Context& ctx) {
  if (w_.rounds > 0 && round_ >= w_.rounds) {
    phase_ = Phase::kDone;
    return;
  }
  ++round_;
  OwnerId owner{ctx.name(), ctx.incarnation(), round_, 0};
  phase_ = Phase::kAcquiring;
  const std::string owner_text = owner.str();
  ctx.trace(events::AcquireStart{owner_text});
  acquire_op_ = ++ops_invoked_;
  trace_op_invoke(ctx, acquire_op_, "acquire", events::OpValue{owner_text});
  recipe_->acquire(ctx, owner);
}

void LockClient::on_granted(Context& ctx, const Grant& grant) {
  if (phase_ != Phase::kAcquiring) return;
  phase_ = Phase::kHolding;
  believing_ = true;
  owner_ = grant.owner;
  token_ = grant.token;
  events::Acquired acquired{owner_, token_, std::nullopt};
  if (grant.valid_until != Instant::max()) acquired.valid_for_ns = (grant.valid_until - ctx.now()).ns;
  ctx.trace(acquired);
  events::OpValue done{owner_};
  done.token = acquired.token;
  done.valid_for_ns = acquired.valid_for_ns;
  trace_op_complete(ctx, acquire_op_, "acquire", OpOutcome::kOk, done);
  acquire_op_ = 0;
  writes_done_ = 0;
  last_progress_ = ctx.now();
  next_write(ctx);
}

void LockClient::next_write(Context& ctx) {
  if (writes_done_ >= w_.writes) {
    end_hold(ctx);
    return;
  }
  if (!stopping_ && !recipe_->still_holds(ctx)) {
    lost(ctx, "validity_expired");
    if (!stopping_) return;
  }
  work_timer_ = ctx.set_timer(w_.write_time, LockTimer::kClientWork, writes_done_);
}

void LockClient::send_write(Context& ctx) {
  write_op_ = ++ops_invoked_;
  trace_op_invoke(ctx, write_op_, "write", write_value());
  WriteRequest write{owner_, writes_done_, std::nullopt};
  if (fencing_ && token_) write.token = *token_;
  ctx.send(resource_, std::move(write));
  write_timer_ = ctx.set_timer(w_.write_timeout, LockTimer::kClientWriteTimeout, writes_done_);
}

void LockClient::stop_believing(Context& ctx, bool lost, std::string_view reason) {
  if (!believing_) return;
  believing_ = false;
  if (lost) {
    ctx.trace(events::Lost{owner_, reason});
  } else {
    ctx.trace(events::Released{owner_});
  }
}

events::OpValue LockClient::write_value() const {
  events::OpValue value{owner_, writes_done_};
  if (fencing_ && token_) value.token = *token_;
  return value;
}

void LockClient::complete_write(Context& ctx, OpOutcome outcome) {
  if (write_op_ == 0) return;
  trace_op_complete(ctx, write_op_, "write", outcome, write_value());
  write_op_ = 0;
}

void LockClient::end_hold(Context& ctx) {
  complete_write(ctx, OpOutcome::kUnknown);  // a write in flight is abandoned unanswered
  ctx.cancel_timer(work_timer_);
  ctx.cancel_timer(write_timer_);
  if (stopping_) ctx.cancel_timer(stop_timer_);
  stopping_ = false;
  stop_believing(ctx, /*lost=*/false, "");
  recipe_->release(ctx);
  phase_ = Phase::kThinking;
  ctx.set_timer(w_.think_time, LockTimer::kClientNextRound);
}

void LockClient::on_lost(Context& ctx, std::string_view reason) {
  if (phase_ != Phase::kHolding || stopping_) return;
  lost(ctx, reason);
}

void LockClient::lost(Context& ctx, std::string_view reason) {
  stop_believing(ctx, /*lost=*/true, reason);
  if (w_.stop_delay <= Duration::zero()) {
    end_hold(ctx);
    return;
  }
  // The work runs on until it is stopped; the client no longer checks the lock.
  stopping_ = true;
  stop_timer_ = ctx.set_timer(w_.stop_delay, LockTimer::kClientStop);
}

bool LockClient::worker_alive(Context& ctx) const {
  if (phase_ != Phase::kHolding) return true;
  return ctx.now() - last_progress_ <= w_.write_time + w_.write_timeout;
}

void LockClient::on_message(Context& ctx, NodeId from, const Message& m) {
  if (recipe_->on_message(ctx, from, m)) return;
  const auto* ok = m.as<WriteOk>();
  const auto* rejected = m.as<WriteRejected>();
  if ((ok == nullptr && rejected == nullptr) || phase_ != Phase::kHolding) return;
  const std::string& owner = ok != nullptr ? ok->owner : rejected->owner;
  int64_t n = ok != nullptr ? ok->n : rejected->n;
  if (owner != owner_ || n != writes_done_) return;
  ctx.cancel_timer(write_timer_);
  last_progress_ = ctx.now();
  complete_write(ctx, ok != nullptr ? OpOutcome::kOk : OpOutcome::kFail);
  if (rejected != nullptr) {
    stop_believing(ctx, /*lost=*/true, "fenced");  // the resource refuses: nothing more to do
    end_hold(ctx);
    return;
  }
  ++writes_done_;
  next_write(ctx);
}

void LockClient::on_timer(Context& ctx, const Timer& t) {
  if (recipe_->on_timer(ctx, t)) return;
  if (t.is(LockTimer::kClientNextRound)) {
    if (phase_ == Phase::kThinking) begin_round(ctx);
  } else if (t.is(LockTimer::kClientWork)) {
    if (phase_ == Phase::kHolding && t.arg == writes_done_) {
      last_progress_ = ctx.now();
      send_write(ctx);
    }
  } else if (t.is(LockTimer::kClientStop)) {
    if (phase_ == Phase::kHolding && stopping_ && t.id == stop_timer_) end_hold(ctx);
  } else if (t.is(LockTimer::kClientWriteTimeout)) {
    if (phase_ != Phase::kHolding || t.arg != writes_done_) return;
    last_progress_ = ctx.now();
    complete_write(ctx, OpOutcome::kUnknown);
    ++writes_done_;  // its fate is unknown; the critical section goes on
    next_write(ctx);
  }
}

}  // namespace dsim::locks
