#include "protocols/locks/checks/liveness_check.h"

#include <algorithm>

#include "core/json_object.h"

namespace dsim::locks {

LivenessCheck::LivenessCheck(const LockSettings& s, std::shared_ptr<SharedBeliefs> beliefs)
    : beliefs_(beliefs ? std::move(beliefs) : std::make_shared<SharedBeliefs>()) {
  Duration recovery = s.service.recovery_time();
  Duration delay = s.service.lock_delay_or_zero();
  allowance_ = recovery + delay + s.service.liveness_bound;
  allowance_parts_ = json_object("recovery_ns", recovery.ns,
                                 "lock_delay_ns", delay.ns,
                                 "bound_ns", s.service.liveness_bound.ns);
}

bool LivenessCheck::stalled(const BeliefTracker& beliefs) const {
  if (waiting_count_ == 0) return false;
  for (const auto& [node, belief] : beliefs.believers()) {
    if (down_[node] == 0 && !beliefs.paused(node)) return false;
  }
  return true;
}

void LivenessCheck::end_stall(Instant at, bool open) {
  if (!current_) return;
  current_->until = at;
  current_->open = open;
  stalls_.push_back(*current_);
  current_.reset();
}

void LivenessCheck::observe(const Observation& o, CheckerView& view) {
  const BeliefTracker& beliefs = beliefs_->observe(o);
  if (down_.empty()) {
    down_.assign(view.cluster().size(), 0);
    waiting_.assign(view.cluster().size(), 0);
  }
  auto set_waiting = [this](NodeId n, bool waiting) {
    if (waiting_[n] == static_cast<char>(waiting)) return;
    waiting_[n] = static_cast<char>(waiting);
    waiting_count_ = waiting ? waiting_count_ + 1 : waiting_count_ - 1;
  };
  if (o.from_protocol) {
    if (o.typed.is<events::AcquireStart>()) {
      set_waiting(o.node, true);
    } else if (o.typed.is<events::Acquired>()) {
      set_waiting(o.node, false);
      last_holder_ = o.node;
    } else if (!o.typed.is<events::Released>() && !o.typed.is<events::Lost>()) {
      return;
    }
  } else if (o.event == "crash") {
    down_[o.node] = 1;
    set_waiting(o.node, false);
  } else if (o.event == "restart") {
    down_[o.node] = 0;
  } else if (o.event != "pause" && o.event != "resume") {
    return;
  }
  bool now_stalled = stalled(beliefs);
  if (now_stalled && !current_) {
    Stall s;
    s.from = o.at;
    s.first = static_cast<uint32_t>(waiting_pool_.size());
    for (NodeId n = 0; n < waiting_.size(); ++n) {
      if (waiting_[n] != 0) waiting_pool_.push_back(n);
    }
    s.count = static_cast<uint32_t>(waiting_pool_.size() - s.first);
    s.last_holder = last_holder_;
    current_ = s;
  } else if (!now_stalled && current_) {
    end_stall(o.at, false);
  }
}

void LivenessCheck::finish(CheckerView& view) {
  end_stall(view.now(), true);
  Instant quiet = view.faults_quiet_since();
  if (!view.ran_to_end() || quiet == Instant::max()) return;
  judged_ = true;
  for (const Stall& s : stalls_) {
    Instant from = std::max(s.from, quiet);
    if (s.until <= from) continue;
    Duration stalled = s.until - from;
    longest_after_quiet_ns_ = std::max(longest_after_quiet_ns_, stalled.ns);
    if (stalled <= allowance_) continue;
    const Cluster& cluster = view.cluster();
    std::vector<std::string> waiters;
    for (uint32_t i = 0; i < s.count; ++i) waiters.push_back(cluster.name(waiting_pool_[s.first + i]));
    const std::string last_holder = s.last_holder == kNoNode ? "" : cluster.name(s.last_holder);
    Violation v;
    v.check = "liveness";
    v.at = view.now();
    v.nodes = waiters;
    if (!last_holder.empty() && std::find(v.nodes.begin(), v.nodes.end(), last_holder) == v.nodes.end()) {
      v.nodes.push_back(last_holder);
    }
    std::string waiting;
    for (const std::string& w : waiters) waiting += (waiting.empty() ? "" : ", ") + w;
    v.message = "the lock was stuck from " + format_duration(Duration{s.from.ns}) + " to " +
                format_duration(Duration{s.until.ns}) + (s.open ? " (the end of the run)" : "") +
                ": clients waiting, no live holder, nobody acquiring; " + format_duration(stalled) +
                " of it after the faults ended at " + format_duration(Duration{quiet.ns}) +
                ", allowed " + format_duration(allowance_) + " (someone should have had it by " +
                format_duration(Duration{(from + allowance_).ns}) + "); waiting: " + waiting +
                (last_holder.empty() ? "" : "; last holder " + last_holder);
    v.details = json_object("stalled_from_ns", s.from.ns,
                            "stalled_until_ns", s.until.ns,
                            "deadline_ns", (from + allowance_).ns,
                            "still_stalled", s.open,
                            "faults_quiet_since_ns", quiet.ns,
                            "allowance_ns", allowance_.ns,
                            "allowance", allowance_parts_,
                            "waiting", waiters,
                            "last_holder", last_holder);
    view.report(std::move(v));
    return;
  }
}

void LivenessCheck::write_metrics(Json& out) const {
  out["judged"] = judged_;
  out["allowance_ns"] = allowance_.ns;
  out["allowance"] = allowance_parts_;
  out["longest_stall_after_faults_ns"] = longest_after_quiet_ns_;
}

}  // namespace dsim::locks
