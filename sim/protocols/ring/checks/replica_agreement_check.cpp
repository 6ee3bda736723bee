#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/json_object.h"
#include "protocols/ring/checks/ring_checks.h"

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
    if (o.event == "crash") views_.erase(o.node);
    if (!o.from_protocol) return;
    if (o.event == "membership_init" || o.event == "membership_change") {
      std::set<std::string> members;
      for (const Json& n : o.fields().at("members")) members.insert(n.get<std::string>());
      views_[o.node] = Json(members).dump();  // sorted: equal sets, equal strings
      return;
    }
    if (o.event != "coordinate") return;
    auto v = views_.find(o.node);
    if (v == views_.end()) return;  // no view traced yet: nothing to compare with
    ++operations_;
    const std::string key = o.fields().at("key").get<std::string>();
    const Json& replicas = o.fields().at("replicas");
    auto [first, inserted] = first_choice_.try_emplace({v->second, key}, Choice{replicas, o.node, o.at});
    if (inserted || first->second.replicas == replicas) return;
    ++disagreements_;
    const Choice& c = first->second;
    Violation viol;
    viol.check = "replica_agreement";
    viol.at = o.at;
    viol.nodes = {view.cluster().name(o.node), view.cluster().name(c.node)};
    viol.message = view.cluster().name(o.node) + " chose replicas " + replicas.dump() + " for " + key + ", but " +
                   view.cluster().name(c.node) + " chose " + c.replicas.dump() + " at " +
                   format_duration(Duration{c.at.ns}) + " with the same view " + v->second;
    viol.details = json_object("key", key,
                               "view", Json::parse(v->second),
                               "replicas", replicas,
                               "earlier_coordinator", view.cluster().name(c.node),
                               "earlier_replicas", c.replicas);
    view.report(std::move(viol));
  }

  void write_metrics(Json& out) const override {
    out["operations_compared"] = operations_;
    out["disagreements"] = disagreements_;
  }

 private:
  struct Choice {
    Json replicas;
    NodeId node;
    Instant at;
  };

  std::map<NodeId, std::string> views_;  // the view's member names, sorted, as JSON
  std::map<std::pair<std::string, std::string>, Choice> first_choice_;  // (view, key)
  uint64_t operations_ = 0;
  uint64_t disagreements_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_replica_agreement_check() { return std::make_unique<ReplicaAgreementCheck>(); }

}  // namespace dsim::ring
