// Readers for the pieces of a scenario that have a shape of their own: node references,
// latency models, links, fault schedules and the random nemesis.
#pragma once

#include <vector>

#include "core/cluster.h"
#include "faults/fault_action.h"
#include "faults/nemesis.h"
#include "net/network.h"
#include "scenario/config_reader.h"

namespace dsim {

// A list of node names or role names (a role stands for all its nodes), or one string.
// Unknown names fail with the closest known name. Result sorted, no repeats.
std::vector<NodeId> read_node_list(const Json& value, const std::string& file,
                                   const std::string& path, const Cluster& cluster);
std::vector<NodeId> read_nodes(ConfigReader& r, const std::string& key, const Cluster& cluster,
                               bool required);
// "5ms" (constant) or {"dist": ..., ...}.
LatencyModel read_latency(ConfigReader& parent, const std::string& key, LatencyModel fallback);
LinkConfig read_link_config(ConfigReader& r, const LinkConfig& fallback);
FaultAction read_fault_action(ConfigReader& r, const Cluster& cluster, Duration run_duration);
// How many node references the fault holds (its nodes, groups, from and to).
int64_t fault_node_entries(const FaultAction& a);
NemesisConfig read_nemesis(ConfigReader& r, const Cluster& cluster, Duration run_duration);

}  // namespace dsim
