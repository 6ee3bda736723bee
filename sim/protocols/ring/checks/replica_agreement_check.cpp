#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "check/violation.h"
#include "core/json_object.h"
#include "protocols/ring/checks/node_names.h"
#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"

namespace dsim::ring {
namespace {

// Each store node's view comes from its membership_init/membership_change events (the
// members they list); a crash forgets it until the restart's membership_init. The first
// coordinate event for a (view, key) records the replica set; every later one with the
// same view and key, from any coordinator, must name the same set in the same order.
class ReplicaAgreementCheck final : public Checker {
 public:
  std::string_view name() const override { return "replica_agreement"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (const auto* init = o.as<MembershipInit>()) {
      views_[o.node] = view_id(init->members);
    } else if (const auto* change = o.as<MembershipChange>()) {
      views_[o.node] = view_id(change->members);
    } else if (const auto* c = o.as<Coordinate>()) {
      judge(o, *c, view);
    } else if (!o.from_protocol && o.event == "crash") {
      views_.erase(o.node);
    }
  }

  void write_metrics(Json& out) const override {
    out["operations_compared"] = operations_;
    out["disagreements"] = disagreements_;
  }

 private:
  struct Choice {
    std::vector<NodeId> replicas;
    NodeId node;
    Instant at;
  };

  // Equal member sets, whatever order they joined in, get the same id.
  uint32_t view_id(std::vector<NodeId> members) {
    std::sort(members.begin(), members.end());
    auto [it, inserted] = view_ids_.try_emplace(std::move(members), static_cast<uint32_t>(view_members_.size()));
    if (inserted) view_members_.push_back(&it->first);
    return it->second;
  }

  void judge(const Observation& o, const Coordinate& c, CheckerView& view) {
    auto v = views_.find(o.node);
    if (v == views_.end()) return;  // no view traced yet: nothing to compare with
    ++operations_;
    auto [first, inserted] = first_choice_.try_emplace({v->second, c.key}, Choice{c.replicas, o.node, o.at});
    if (inserted || first->second.replicas == c.replicas) return;
    ++disagreements_;
    const Choice& earlier = first->second;
    const Cluster& cluster = view.cluster();
    const Json members = sorted_names(cluster, *view_members_[v->second]);
    const Json replicas = node_names(cluster, c.replicas);
    const Json earlier_replicas = node_names(cluster, earlier.replicas);
    const std::string key = key_name(c.key);
    view.report(violation(
        name(), o.at, {cluster.name(o.node), cluster.name(earlier.node)},
        cluster.name(o.node) + " chose replicas " + replicas.dump() + " for " + key + ", but " +
            cluster.name(earlier.node) + " chose " + earlier_replicas.dump() + " at " +
            format_duration(Duration{earlier.at.ns}) + " with the same view " + members.dump(),
        json_object("key", key, "view", members, "replicas", replicas, "earlier_coordinator",
                    cluster.name(earlier.node), "earlier_replicas", earlier_replicas)));
  }

  std::map<NodeId, uint32_t> views_;                    // each store's current view
  std::map<std::vector<NodeId>, uint32_t> view_ids_;    // member set (sorted ids) -> id
  std::vector<const std::vector<NodeId>*> view_members_;  // id -> member set
  std::map<std::pair<uint32_t, uint64_t>, Choice> first_choice_;  // (view, key)
  uint64_t operations_ = 0;
  uint64_t disagreements_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_replica_agreement_check() { return std::make_unique<ReplicaAgreementCheck>(); }

}  // namespace dsim::ring
