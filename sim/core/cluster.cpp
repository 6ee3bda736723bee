#include "core/cluster.h"

#include "core/rng.h"

namespace dsim {

NodeId Cluster::add(std::string name, std::string role) {
  NodeId id = static_cast<NodeId>(names_.size());
  auto [it, fresh] = role_ids_.try_emplace(role, static_cast<uint32_t>(role_order_.size()));
  if (fresh) {
    role_order_.push_back(role);
    members_.emplace_back();
  }
  role_of_.push_back(it->second);
  members_[it->second].push_back(id);
  names_.push_back(std::move(name));
  index_name(id);
  return id;
}

void Cluster::index_name(NodeId id) {
  // Kept at most half full, so probes stay short; growing re-indexes every name.
  if (2 * names_.size() > name_index_.size()) {
    size_t capacity = name_index_.empty() ? 16 : 2 * name_index_.size();
    name_index_.assign(capacity, kNoNode);
    for (NodeId n = 0; n < id; ++n) place_name(n);
  }
  place_name(id);
}

void Cluster::place_name(NodeId id) {
  size_t mask = name_index_.size() - 1;
  size_t i = fnv1a64(names_[id]) & mask;
  while (name_index_[i] != kNoNode) i = (i + 1) & mask;
  name_index_[i] = id;
}

std::optional<NodeId> Cluster::find(const std::string& name) const {
  if (name_index_.empty()) return std::nullopt;
  size_t mask = name_index_.size() - 1;
  for (size_t i = fnv1a64(name) & mask; name_index_[i] != kNoNode; i = (i + 1) & mask) {
    if (names_[name_index_[i]] == name) return name_index_[i];
  }
  return std::nullopt;
}

const std::vector<NodeId>& Cluster::with_role(const std::string& role) const {
  static const std::vector<NodeId> kNone;
  auto it = role_ids_.find(role);
  return it == role_ids_.end() ? kNone : members_[it->second];
}

}  // namespace dsim
