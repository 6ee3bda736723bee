// Everything the replicated store and its clients are configured with, read once from a
// scenario's "protocol" and "workload" sections and shared, read-only, by every process.
#pragma once

#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/time.h"
#include "protocols/ring/placement/placement.h"
#include "scenario/protocol_family.h"

namespace dsim::ring {

struct StoreSettings {
  PlacementOptions placement;      // algorithm = the scenario's variant
  size_t replicas = 3;             // R: nodes holding each key
  size_t write_quorum = 2;         // acks a put waits for
  size_t read_quorum = 2;          // replies a get (and a put's version read) waits for
  Duration heartbeat_interval = Duration::millis(100);
  Duration suspect_timeout = Duration::millis(500);  // silent this long: removed from the view
  Duration request_timeout = Duration::millis(200);  // a coordinator's wait for its quorum
  size_t transfer_batch = 32;      // keys per transfer message
  size_t moved_keys_traced = 8;    // per membership change, moved keys listed in the trace

  std::vector<NodeId> stores;           // role "store", in cluster order
  std::vector<NodeId> clients;          // role "client"
  std::vector<NodeId> initial_members;  // assumed up at boot (default: every store)
  // From protocol.nodes_file, by NodeId: the name each store is placed by and its weight
  // (a real cluster's server names, so keys land as they would there). Empty: each
  // store's own name, weight 1.
  std::vector<std::string> placement_names;
  std::vector<double> placement_weights;

  // Workload.
  size_t keys = 200;                    // the key space: key-0 .. key-(keys-1)
  double ops_per_second = 50;           // per client, Poisson arrivals
  double read_fraction = 0.5;
  Duration start = Duration::seconds(1);  // clients start (membership has settled)
  Duration stop;                          // clients issue no new operation after this
  Duration client_timeout = Duration::millis(600);  // per attempt
  size_t attempts = 3;                  // per operation, each at another store node
  Duration avoid_after_timeout = Duration::seconds(1);  // a client skips a silent node

  // Thresholds of the checks.
  double availability_min = 0.0;        // "availability": fraction of operations that succeed
  double peak_to_mean_max = 2.0;        // "load_balance": over each node's view of the keys
};

// Every "protocol" and "workload" setting: key, default (this struct's), range, meaning.
const SettingTable& store_setting_table();

// The roles of the nodes: "store" and "client", in every variant.
const std::vector<RoleRow>& store_role_table();

// Reads and validates; throws ScenarioError with the JSON path of the bad value.
StoreSettings read_store_settings(ProtocolSettings& s);

// The placement member of store `node`: its name and weight under nodes_file, else its
// own name and weight 1.
Member placement_member(const StoreSettings& settings, const Cluster& cluster, NodeId node);

// "key-17"
std::string key_name(size_t index);

}  // namespace dsim::ring
