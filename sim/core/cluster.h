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
  const std::string& role(NodeId id) const { return roles_[id]; }
  std::optional<NodeId> find(const std::string& name) const;
  // Nodes with this role, in id order (empty if none).
  const std::vector<NodeId>& with_role(const std::string& role) const;
  // Roles in order of first appearance.
  const std::vector<std::string>& roles() const { return role_order_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> roles_;
  std::map<std::string, NodeId> by_name_;
  std::map<std::string, std::vector<NodeId>> by_role_;
  std::vector<std::string> role_order_;
};

}  // namespace dsim
