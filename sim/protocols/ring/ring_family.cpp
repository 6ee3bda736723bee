#include "protocols/ring/ring_family.h"

#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/store/client_node.h"
#include "protocols/ring/store/store_node.h"

namespace dsim {
namespace {

class RingRun final : public ProtocolRun {
 public:
  RingRun(ring::StoreSettings s, const Cluster& cluster)
      : settings_(std::make_shared<const ring::StoreSettings>(std::move(s))), roles_(cluster.size()) {
    for (NodeId n = 0; n < cluster.size(); ++n) roles_[n] = cluster.role(n);
  }

  std::unique_ptr<Process> make_process(NodeId node) override {
    if (roles_[node] == "store") return ring::make_store_node(settings_);
    return ring::make_client_node(settings_);
  }

  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    if (check == "fresh_reads") return ring::make_fresh_reads_check();
    if (check == "replica_agreement") return ring::make_replica_agreement_check();
    if (check == "distinct_replicas") return ring::make_distinct_replicas_check(settings_->replicas);
    if (check == "availability") return ring::make_availability_check(settings_->availability_min);
    if (check == "load_balance") return ring::make_load_balance_check(settings_->peak_to_mean_max);
    return ring::make_settled_membership_check(*settings_);
  }

 private:
  std::shared_ptr<const ring::StoreSettings> settings_;
  std::vector<std::string> roles_;
};

}  // namespace

ProtocolFamily ring_family() {
  ProtocolFamily f;
  f.name = "ring";
  f.summary = "replicated key-value store sharded over a consistent-hash ring";
  f.variants = ring::placement_algorithms();
  f.checks = {"fresh_reads", "replica_agreement", "distinct_replicas", "availability", "load_balance", "settled_membership"};
  f.default_checks = f.checks;
  f.settings = &ring::store_setting_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    return std::make_unique<RingRun>(ring::read_store_settings(s), s.cluster);
  };
  return f;
}

}  // namespace dsim
