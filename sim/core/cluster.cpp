#include "core/cluster.h"

namespace dsim {

NodeId Cluster::add(std::string name, std::string role) {
  NodeId id = static_cast<NodeId>(names_.size());
  by_name_.emplace(name, id);
  auto [it, fresh] = by_role_.try_emplace(role);
  if (fresh) role_order_.push_back(role);
  it->second.push_back(id);
  names_.push_back(std::move(name));
  roles_.push_back(std::move(role));
  return id;
}

std::optional<NodeId> Cluster::find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

const std::vector<NodeId>& Cluster::with_role(const std::string& role) const {
  static const std::vector<NodeId> kNone;
  auto it = by_role_.find(role);
  return it == by_role_.end() ? kNone : it->second;
}

}  // namespace dsim
