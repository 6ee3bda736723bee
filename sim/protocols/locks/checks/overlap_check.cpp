#include "protocols/locks/checks/overlap_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void OverlapCheck::observe(const Observation& o, CheckerView& view) {
  const BeliefTracker& beliefs = beliefs_->observe(o);
  const auto* acquired = o.as<events::Acquired>();
  if (acquired == nullptr) return;
  const std::string me = view.cluster().name(o.node);
  for (const auto& [node, belief] : beliefs.believers()) {
    if (node == o.node) continue;
    const std::string other = view.cluster().name(node);
    Violation v;
    v.check = "overlap";
    v.at = o.at;
    v.nodes = {me, other};
    v.message = me + " acquired the lock (" + std::string(acquired->owner) + ") while " + other +
                " still believed it held it (" + belief.owner + ", since " +
                format_duration(Duration{belief.since.ns}) + ")" + (beliefs.paused(node) ? "; " + other + " is paused" : "");
    v.details = json_object(
        "acquirer", me,
        "acquirer_owner", std::string(acquired->owner),
        "acquirer_token", acquired->token ? Json(*acquired->token) : Json(nullptr),
        "holder", other,
        "holder_owner", belief.owner,
        "holder_since_ns", belief.since.ns,
        "holder_token", belief.token ? Json(*belief.token) : Json(nullptr));
    view.report(std::move(v));
    return;
  }
}

}  // namespace dsim::locks
