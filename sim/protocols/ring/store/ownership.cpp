#include "protocols/ring/store/ownership.h"

#include <algorithm>

namespace dsim::ring {

Ownership::Ownership(const StoreSettings& settings, const Cluster& cluster, const std::vector<NodeId>& members)
    : settings_(settings), cluster_(cluster), placement_(make_placement(settings.placement)) {
  key_hashes_.reserve(settings.keys);
  for (size_t k = 0; k < settings.keys; ++k) key_hashes_.push_back(placement_->hash_key(key_name(k)));
  std::vector<Member> initial;
  for (NodeId n : members) initial.push_back(placement_member(settings, cluster, n));
  placement_->add_all(initial);
  placement_->assign(key_hashes_, settings_.replicas, owners_);
  stride_ = std::min(settings_.replicas, placement_->members().size());
}

Movement Ownership::add(NodeId node) {
  placement_->add(placement_member(settings_, cluster_, node));
  return reassign(node);
}

Movement Ownership::remove(NodeId node) {
  placement_->remove(node);
  return reassign(node);
}

Movement Ownership::reassign(NodeId changed) {
  std::vector<NodeId> next;
  placement_->assign(key_hashes_, settings_.replicas, next);
  size_t next_stride = std::min(settings_.replicas, placement_->members().size());
  Movement m = compare_assignments(owners_, stride_, next, next_stride, changed, cluster_.size(),
                                   settings_.moved_keys_traced);
  owners_.swap(next);
  stride_ = next_stride;
  return m;
}

std::vector<NodeId> Ownership::members() const {
  std::vector<NodeId> out;
  for (const Member& m : placement_->members()) out.push_back(m.tag);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<NodeId, uint64_t>> Ownership::primary_counts() const {
  std::vector<uint64_t> by_node(cluster_.size(), 0);
  for (size_t k = 0; k < key_hashes_.size(); ++k) ++by_node[owners_[k * stride_]];
  std::vector<std::pair<NodeId, uint64_t>> out;
  for (NodeId n : members()) out.emplace_back(n, by_node[n]);
  return out;
}

double Ownership::peak_to_mean() const {
  auto counts = primary_counts();
  uint64_t peak = 0;
  for (const auto& [n, c] : counts) peak = std::max(peak, c);
  double mean = static_cast<double>(key_hashes_.size()) / static_cast<double>(counts.size());
  if (!settings_.placement_weights.empty()) {
    // Weighted stores (nodes_file): each load over its fair share, keys * w / total weight.
    double total = 0, worst = 0;
    for (const auto& [n, c] : counts) total += settings_.placement_weights[n];
    for (const auto& [n, c] : counts) {
      const double fair = static_cast<double>(key_hashes_.size()) * settings_.placement_weights[n] / total;
      worst = std::max(worst, static_cast<double>(c) / fair);
    }
    return worst;
  }
  return static_cast<double>(peak) / mean;
}

}  // namespace dsim::ring
