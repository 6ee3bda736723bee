// The static shape of a run: which nodes exist, their names and roles. Protocols use it
// to find peers ("all participants", "the coordinator"); it never changes during a run.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace dsim {

class Cluster {
 public:
  // Adds a node; returns its id. Names must be unique (the scenario loader checks).
  NodeId add(std::string name, std::string role);

  size_t size() const { return names_.size(); }
  const std::string& name(NodeId id) const { return names_[id]; }
  const std::string& role(NodeId id) const { return role_order_[role_of_[id]]; }
  std::optional<NodeId> find(const std::string& name) const;
  // Nodes with this role, in id order (empty if none).
  const std::vector<NodeId>& with_role(const std::string& role) const;
  // Roles in order of first appearance.
  const std::vector<std::string>& roles() const { return role_order_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  void index_name(NodeId id);
  void place_name(NodeId id);

  // Per node: a few bytes beyond its name, so a million-node cluster stays small.
  std::vector<std::string> names_;
  std::vector<uint32_t> role_of_;            // index into role_order_
  std::vector<NodeId> name_index_;           // open addressing on the name's hash; kNoNode = free
  std::vector<std::string> role_order_;      // roles in order of first appearance
  std::vector<std::vector<NodeId>> members_;  // per role (same index), in id order
  std::map<std::string, uint32_t> role_ids_;
};

}  // namespace dsim
