#include "protocols/heartbeat/checks/settled_view_check.h"

#include <algorithm>

#include "check/quiet_period.h"
#include "check/violation.h"
#include "protocols/heartbeat/events.h"

namespace dsim::heartbeat {

void SettledViewCheck::observe(const Observation& o, CheckerView& view) {
  if (const auto* s = o.as<Suspect>()) {
    suspicion(o, view, s->peer, true);
  } else if (const auto* t = o.as<Trust>()) {
    suspicion(o, view, t->peer, false);
  } else if (o.from_protocol) {
    return;
  } else if (o.event == "crash") {
    down_since_[o.node] = o.at;
    // A restarted node starts with a fresh view.
    suspects_[o.node].assign(suspects_.size(), false);
  } else if (o.event == "restart") {
    down_since_[o.node] = Instant::max();
  }
}

void SettledViewCheck::suspicion(const Observation& o, CheckerView& view, NodeId peer, bool suspect) {
  suspects_[o.node][peer] = suspect;
  if (suspect && view.node_up(peer)) ++false_suspicions_;
  if (suspect && !view.node_up(peer) && down_since_[peer] != Instant::max()) {
    detection_ns_.push_back((o.at - down_since_[peer]).ns);
  }
}

void SettledViewCheck::finish(CheckerView& view) {
  const std::optional<Duration> quiet_for = settled_for(view, bound_);
  if (!quiet_for) return;
  const Cluster& c = view.cluster();
  for (NodeId a = 0; a < suspects_.size(); ++a) {
    if (!view.node_up(a)) continue;
    for (NodeId b = 0; b < suspects_.size(); ++b) {
      if (a == b || !view.node_up(b) || !suspects_[a][b]) continue;
      view.report(violation(name(), view.now(), {c.name(a), c.name(b)},
                            c.name(a) + " still suspects " + c.name(b) + " " + format_duration(*quiet_for) +
                                " after the last fault ended"));
      return;
    }
  }
}

void SettledViewCheck::write_metrics(Json& out) const {
  out["false_suspicions"] = false_suspicions_;
  out["detections"] = detection_ns_.size();
  int64_t worst = 0;
  for (int64_t d : detection_ns_) worst = std::max(worst, d);
  out["detection_ns_max"] = worst;
}

}  // namespace dsim::heartbeat
