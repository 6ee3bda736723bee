#include <algorithm>
#include <string>

#include "check/violation.h"
#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"

namespace dsim::ring {
namespace {

class DistinctReplicasCheck final : public Checker {
 public:
  explicit DistinctReplicasCheck(size_t replicas) : replicas_(replicas) {}
  std::string_view name() const override { return "distinct_replicas"; }

  void observe(const Observation& o, CheckerView& view) override {
    const auto* c = o.as<Coordinate>();
    if (c == nullptr) return;
    ++operations_;
    const std::vector<NodeId>& replicas = c->replicas;
    const size_t expected = std::min<size_t>(replicas_, c->view_size);
    if (replicas.size() == expected && distinct(replicas)) return;
    view.report(violation(name(), o.at, {view.cluster().name(o.node)},
                          "replica set " + node_names(view.cluster(), replicas).dump() + " for " + key_name(c->key) +
                              " is not " + std::to_string(expected) + " distinct nodes",
                          event_json(*c)));
  }

  void write_metrics(Json& out) const override { out["operations"] = operations_; }

 private:
  // Replica lists are short (R <= 16): a pairwise scan, no allocation.
  static bool distinct(const std::vector<NodeId>& nodes) {
    for (size_t i = 1; i < nodes.size(); ++i) {
      if (std::find(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(i), nodes[i]) !=
          nodes.begin() + static_cast<std::ptrdiff_t>(i)) {
        return false;
      }
    }
    return true;
  }

  size_t replicas_;
  uint64_t operations_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_distinct_replicas_check(size_t replicas) {
  return std::make_unique<DistinctReplicasCheck>(replicas);
}

}  // namespace dsim::ring
