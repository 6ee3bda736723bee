#include <algorithm>
#include <set>
#include <string>

#include "protocols/ring/checks/ring_checks.h"

namespace dsim::ring {
namespace {

class DistinctReplicasCheck final : public Checker {
 public:
  explicit DistinctReplicasCheck(size_t replicas) : replicas_(replicas) {}
  std::string_view name() const override { return "distinct_replicas"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (!o.from_protocol || o.event != "coordinate") return;
    ++operations_;
    const Json& names = o.fields().at("replicas");
    std::set<std::string> distinct;
    for (const Json& n : names) distinct.insert(n.get<std::string>());
    const size_t expected = std::min(replicas_, o.fields().at("view_size").get<size_t>());
    if (distinct.size() == names.size() && names.size() == expected) return;
    Violation v;
    v.check = "distinct_replicas";
    v.at = o.at;
    v.nodes = {view.cluster().name(o.node)};
    v.message = "replica set " + names.dump() + " for " + o.fields().at("key").get<std::string>() + " is not " +
                std::to_string(expected) + " distinct nodes";
    v.details = o.fields();
    view.report(std::move(v));
  }

  void write_metrics(Json& out) const override { out["operations"] = operations_; }

 private:
  size_t replicas_;
  uint64_t operations_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_distinct_replicas_check(size_t replicas) {
  return std::make_unique<DistinctReplicasCheck>(replicas);
}

}  // namespace dsim::ring
