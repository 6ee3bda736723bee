#include "protocols/locks/checks/overlap_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void OverlapCheck::observe(const Observation& o, CheckerView& view) {
  beliefs_.observe(o);
  if (!o.from_protocol || o.event != "acquired") return;
  const std::string me = view.cluster().name(o.node);
  for (const auto& [node, belief] : beliefs_.believers()) {
    if (node == o.node) continue;
    const std::string other = view.cluster().name(node);
    Violation v;
    v.check = "overlap";
    v.at = o.at;
    v.nodes = {me, other};
    v.message = me + " acquired the lock (" + o.fields().at("owner").get<std::string>() + ") while " + other +
                " still believed it held it (" + belief.owner + ", since " +
                format_duration(Duration{belief.since.ns}) + ")" + (beliefs_.paused(node) ? "; " + other + " is paused" : "");
    v.details = json_object(
        "acquirer", me,
        "acquirer_owner", o.fields().at("owner"),
        "acquirer_token", o.fields().contains("token") ? o.fields()["token"] : Json(nullptr),
        "holder", other,
        "holder_owner", belief.owner,
        "holder_since_ns", belief.since.ns,
        "holder_token", belief.token ? Json(*belief.token) : Json(nullptr));
    view.report(std::move(v));
    return;
  }
}

}  // namespace dsim::locks
