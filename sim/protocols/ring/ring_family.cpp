#include "protocols/ring/ring_family.h"

#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/store/client_node.h"
#include "protocols/ring/store/replica_data.h"
#include "protocols/ring/store/store_node.h"

namespace dsim {
namespace {

using ring::StoreSettings;

// The family's checks, each named once (scenario/check_table.h); they read the settings.
constexpr CheckRow<StoreSettings> kChecks[] = {
    {"fresh_reads", "a successful get never returns a value older than a put acknowledged before it began", true,
     [](const StoreSettings&) { return ring::make_fresh_reads_check(); }},
    {"replica_agreement", "coordinators with equal membership views choose the same replicas for a key", true,
     [](const StoreSettings&) { return ring::make_replica_agreement_check(); }},
    {"distinct_replicas", "every operation's replica set names min(R, view size) distinct nodes", true,
     [](const StoreSettings& s) { return ring::make_distinct_replicas_check(s.replicas); }},
    {"availability", "the fraction of client operations that succeeded is at least availability_min", true,
     [](const StoreSettings& s) { return ring::make_availability_check(s.availability_min); }},
    {"load_balance", "in every store's view the busiest node holds at most peak_to_mean_max times the mean keys",
     true, [](const StoreSettings& s) { return ring::make_load_balance_check(s.peak_to_mean_max); }},
    {"settled_membership", "once the faults have been quiet for a while, every running store's view is the running stores",
     true, [](const StoreSettings& s) { return ring::make_settled_membership_check(s); }},
};

class RingRun final : public ProtocolRun {
 public:
  RingRun(ring::StoreSettings s, const Cluster& cluster)
      : settings_(std::make_shared<const ring::StoreSettings>(std::move(s))), roles_(cluster.size()) {
    for (NodeId n = 0; n < cluster.size(); ++n) roles_[n] = cluster.role(n);
  }

  // The loader admits only the roles of store_role_table().
  std::unique_ptr<Process> make_process(NodeId node) override {
    if (roles_[node] == "store") {
      // One for the run's stores, made when the first one is (estimate_load needs none).
      if (!assignments_) assignments_ = std::make_shared<ring::SharedAssignments>(settings_);
      return ring::make_store_node(assignments_);
    }
    return ring::make_client_node(settings_);
  }

  // Stores heartbeat all-to-all (in one instant, as they boot together); each operation
  // is a request, a quorum round to R replicas (a put reads versions first) and a reply.
  // Every store holds the key hashes and the owners; one placement is built at a time
  // (placement_build_bytes); the replicas hold R copies of every key; the checkers keep
  // every write and latency to the end.
  FamilyLoad estimate_load(const LoadInputs& in) const override {
    const ring::StoreSettings& s = *settings_;
    const double stores = static_cast<double>(s.stores.size());
    const double clients = static_cast<double>(s.clients.size());
    const double keys = static_cast<double>(s.keys);
    const double r = static_cast<double>(s.replicas);
    const Duration stop = std::min(s.stop, in.duration);
    const double active_s = std::max<double>(0, static_cast<double>((stop - s.start).ns) * 1e-9);
    const double op_rate = clients * s.ops_per_second;
    const double per_op = 2 * r + 2 + (1 - s.read_fraction) * 2 * r;
    const double heartbeats = stores * (stores - 1) / (static_cast<double>(s.heartbeat_interval.ns) * 1e-9);
    // One placement is built at a time (per member set, shared by every store; jump, the
    // one kept per store, has no table), and freed once it has assigned the keys.
    std::vector<double> weights;
    for (NodeId n : s.stores) weights.push_back(s.placement_weights.empty() ? 1.0 : s.placement_weights[n]);
    const double placement = ring::placement_build_bytes(s.placement, weights);
    FamilyLoad load;
    load.messages_per_second = heartbeats + op_rate * per_op;
    load.burst_messages = stores * (stores - 1);
    load.body_bytes = load.messages_per_second > 0 ? 200 * op_rate * per_op / load.messages_per_second : 0;
    // Every store keeps a slot per key (held or not), a hash and R owners per key (twice
    // while a membership change computes the next assignment). The owners live in the
    // run's shared table, which keeps everything it holds (states and the changes between
    // them) within that: 2 x stores x (keys x R ids + a state's bookkeeping, about 200
    // bytes + 8 per store, inside the 4096 + 16 x stores per store counted below);
    // store/shared_assignments.h, budget_bytes.
    const double per_key = sizeof(std::optional<ring::Versioned>) + sizeof(uint64_t) + 2 * sizeof(NodeId) * r;
    const double writes = std::min(keys, op_rate * active_s * (1 - s.read_fraction));
    load.state_bytes = placement + stores * (stores * 16 + keys * per_key + 4096) +
                       writes * r * 160 + clients * (stores * 8 + 4096) + op_rate * active_s * 128;
    // An operation's timeouts (the client's, the coordinator's) stay queued until they
    // would fire, answered or not.
    const double timeout_s = static_cast<double>((s.client_timeout + s.request_timeout).ns) * 1e-9;
    load.timers_pending = stores + clients * 2 + op_rate * timeout_s;
    return load;
  }

  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    return make_check(kChecks, check, *settings_);
  }

 private:
  std::shared_ptr<const ring::StoreSettings> settings_;
  std::shared_ptr<ring::SharedAssignments> assignments_;
  std::vector<std::string> roles_;
};

}  // namespace

ProtocolFamily ring_family() {
  ProtocolFamily f;
  f.name = "ring";
  f.summary = "replicated key-value store sharded over a consistent-hash ring";
  f.variants = ring::placement_algorithms();
  f.checks = check_infos(kChecks);
  f.settings = &ring::store_setting_table();
  f.roles = ring::store_role_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    return std::make_unique<RingRun>(ring::read_store_settings(s), s.cluster);
  };
  return f;
}

}  // namespace dsim
