#include "protocols/locks/checks/starvation_check.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/locks/events.h"

namespace dsim::locks {

void StarvationCheck::end_wait(NodeId node, Instant at) {
  auto it = waiting_.find(node);
  if (it == waiting_.end()) return;
  longest_ns_ = std::max(longest_ns_, (at - it->second.since).ns);
  waiting_.erase(it);
}

void StarvationCheck::observe(const Observation& o, CheckerView& view) {
  judge(o.at, view, false);
  if (o.from_protocol) {
    if (const auto* start = o.as<events::AcquireStart>()) {
      waiting_[o.node] = Wait{o.at, std::string(start->owner)};
      ++waits_;
    } else if (o.typed.is<events::Acquired>()) {
      end_wait(o.node, o.at);
      last_holder_ = view.cluster().name(o.node);
    }
  } else if (o.event == "crash") {
    end_wait(o.node, o.at);
  }
}

void StarvationCheck::judge(Instant now, CheckerView& view, bool at_end) {
  if (reported_) return;
  for (const auto& [node, wait] : waiting_) {
    Duration waited = now - wait.since;
    if (waited <= bound_) continue;
    reported_ = true;
    const std::string name = view.cluster().name(node);
    Violation v;
    v.check = "starvation";
    v.at = now;
    v.nodes = {name};
    if (!last_holder_.empty() && last_holder_ != name) v.nodes.push_back(last_holder_);
    v.message = name + " (" + wait.owner + ") has waited for the lock since " +
                format_duration(Duration{wait.since.ns}) + ", " + format_duration(waited) +
                (at_end ? " by the end of the run" : "") + ", longer than the bound " + format_duration(bound_) +
                (last_holder_.empty() ? "" : "; last holder " + last_holder_);
    v.details = json_object("waiter", name,
                            "owner", wait.owner,
                            "waiting_since_ns", wait.since.ns,
                            "waited_ns", waited.ns,
                            "bound_ns", bound_.ns,
                            "last_holder", last_holder_);
    view.report(std::move(v));
    return;
  }
}

void StarvationCheck::finish(CheckerView& view) {
  for (const auto& [node, wait] : waiting_) longest_ns_ = std::max(longest_ns_, (view.now() - wait.since).ns);
  // A run cut short by a bound or an interrupt cannot say how long its waiters would wait.
  if (view.ran_to_end()) judge(view.now(), view, true);
}

void StarvationCheck::write_metrics(Json& out) const {
  out["bound_ns"] = bound_.ns;
  out["waits"] = waits_;
  out["longest_wait_ns"] = longest_ns_;
}

}  // namespace dsim::locks
