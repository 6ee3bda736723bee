#include "protocols/locks/watchdog.h"

#include <algorithm>

#include "protocols/locks/renewal_events.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

LeaseWatchdog::LeaseWatchdog(const ServiceSettings& settings, std::vector<NodeId> servers, size_t quorum,
                             Duration margin)
    : s_(settings), servers_(std::move(servers)), quorum_(quorum), margin_(margin) {}

void LeaseWatchdog::start(Context& ctx, const std::string& owner) {
  if (!enabled()) return;
  running_ = true;
  holding_ = true;
  owner_ = owner;
  rounds_.clear();
  renewed_ = false;
  ctx.cancel_timer(timer_);
  timer_ = ctx.set_timer(s_.ttl / 3, LockTimer::kLeaseRenew);
}

void LeaseWatchdog::hold_ended(Context& ctx) {
  if (!running_ || !holding_) return;
  holding_ = false;
  if (!s_.renew_without_worker) stop(ctx, "released");
}

Instant LeaseWatchdog::valid_until(Instant granted_until) const {
  if (!enabled()) return granted_until;
  if (s_.renew_stop_on_failure) return Instant::max();  // the worker counts on the watchdog
  return renewed_ ? std::max(granted_until, renewed_until_) : granted_until;
}

void LeaseWatchdog::stop(Context& ctx, std::string_view reason) {
  running_ = false;
  ctx.cancel_timer(timer_);
  ctx.trace(events::WatchdogStopped{owner_, reason});
}

void LeaseWatchdog::failed(Context& ctx, RecipeListener& listener, bool refused) {
  if (s_.renew_stop_on_failure) {
    stop(ctx, "renew_failed");  // and nobody is told
    return;
  }
  if (refused && holding_) {
    stop(ctx, "renew_refused");
    listener.on_lost(ctx, "renew_refused");
  }
  // Unanswered: the next tick tries again while the validity already granted runs down.
}

void LeaseWatchdog::tick(Context& ctx, RecipeListener& listener) {
  auto latest = rounds_.find(round_);
  if (latest != rounds_.end() && !latest->second.done) {
    latest->second.done = true;
    failed(ctx, listener, /*refused=*/false);
  }
  if (!running_) return;
  if (holding_ && !s_.renew_without_worker && !listener.worker_alive(ctx)) {
    stop(ctx, "worker_gone");
    return;
  }
  send_round(ctx);
  timer_ = ctx.set_timer(s_.ttl / 3, LockTimer::kLeaseRenew);
}

void LeaseWatchdog::resend(Context& ctx) {
  auto latest = rounds_.find(round_);
  if (!running_ || latest == rounds_.end() || latest->second.done) return;
  latest->second.done = true;  // superseded; a late answer to it still counts
  send_round(ctx);
}

void LeaseWatchdog::send_round(Context& ctx) {
  ++round_;
  rounds_[round_] = Round{ctx.now()};
  while (rounds_.size() > 8) rounds_.erase(rounds_.begin());
  for (NodeId server : servers_) ctx.send(server, Extend{owner_, s_.ttl.ns, round_});
}

bool LeaseWatchdog::on_message(Context& ctx, RecipeListener& listener, const Message& m) {
  const auto* r = m.as<ExtendResult>();
  if (r == nullptr) return false;
  auto it = rounds_.find(r->req);
  if (!running_ || r->owner != owner_ || it == rounds_.end()) return true;
  Round& round = it->second;
  if (r->ok) {
    if (++round.acks != quorum_) return true;
    round.done = true;
    Instant until = round.sent + s_.ttl - margin_;
    renewed_until_ = renewed_ ? std::max(renewed_until_, until) : until;
    renewed_ = true;
  } else if (++round.refusals == servers_.size() - quorum_ + 1) {
    round.done = true;
    failed(ctx, listener, /*refused=*/true);
  }
  return true;
}

bool LeaseWatchdog::on_timer(Context& ctx, RecipeListener& listener, const Timer& t) {
  if (!t.is(LockTimer::kLeaseRenew)) return false;
  if (t.id == timer_ && running_) tick(ctx, listener);
  return true;
}

}  // namespace dsim::locks
