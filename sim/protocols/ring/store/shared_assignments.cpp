#include "protocols/ring/store/shared_assignments.h"

#include <algorithm>

namespace dsim::ring {
namespace {

// Primary keys per member over the key space, peak over mean (1.0 = even); with weights
// (nodes_file), the largest load over its fair share.
double peak_to_mean(const SharedAssignments::State& st, const std::vector<std::pair<NodeId, uint64_t>>& counts,
                    const StoreSettings& s) {
  const size_t keys = st.stride == 0 ? 0 : st.owners.size() / st.stride;
  uint64_t peak = 0;
  for (const auto& [n, c] : counts) peak = std::max(peak, c);
  double mean = static_cast<double>(keys) / static_cast<double>(counts.size());
  if (!s.placement_weights.empty()) {
    // Weighted stores (nodes_file): each load over its fair share, keys * w / total weight.
    double total = 0, worst = 0;
    for (const auto& [n, c] : counts) total += s.placement_weights[n];
    for (const auto& [n, c] : counts) {
      const double fair = static_cast<double>(keys) * s.placement_weights[n] / total;
      worst = std::max(worst, static_cast<double>(c) / fair);
    }
    return worst;
  }
  return static_cast<double>(peak) / mean;
}

}  // namespace

std::vector<std::pair<NodeId, uint64_t>> primary_counts(const SharedAssignments::State& st, const Cluster& cluster) {
  std::vector<uint64_t> by_node(cluster.size(), 0);
  for (size_t i = 0; i < st.owners.size(); i += st.stride) ++by_node[st.owners[i]];
  std::vector<std::pair<NodeId, uint64_t>> out;
  for (NodeId n : st.members) out.emplace_back(n, by_node[n]);
  return out;
}

SharedAssignments::SharedAssignments(std::shared_ptr<const StoreSettings> settings) : s_(std::move(settings)) {
  const std::unique_ptr<Placement> hasher = make_placement(s_->placement);
  by_history_ = hasher->depends_on_history();
  key_names_.reserve(s_->keys);
  key_hashes_.reserve(s_->keys);
  for (size_t k = 0; k < s_->keys; ++k) {
    key_names_.push_back(key_name(k));
    key_hashes_.push_back(hasher->hash_key(key_names_.back()));
  }
}

const SharedAssignments::State* SharedAssignments::find_start(const Cluster& cluster,
                                                              const std::vector<NodeId>& members) {
  if (!by_history_) {
    std::vector<NodeId> sorted = members;
    std::sort(sorted.begin(), sorted.end());
    return state_of_set(cluster, sorted);
  }
  auto it = starts_.find(members);
  return it == starts_.end() ? nullptr : it->second;
}

const SharedAssignments::State* SharedAssignments::start(const Cluster& cluster, const std::vector<NodeId>& members,
                                                         const Placement& placement) {
  State& st = make_state(cluster, placement);
  st.initial = members;
  starts_.emplace(members, &st);
  return &st;
}

const SharedAssignments::Change* SharedAssignments::find_change(const Cluster& cluster, const State* from, bool added,
                                                                NodeId node) {
  auto it = changes_.find({from->id, added, node});
  if (it != changes_.end()) return &it->second;
  if (by_history_) return nullptr;
  std::vector<NodeId> next = from->members;
  if (added) {
    next.insert(std::upper_bound(next.begin(), next.end(), node), node);
  } else {
    next.erase(std::find(next.begin(), next.end(), node));
  }
  return add_change(cluster, from, added, node, state_of_set(cluster, next));
}

const SharedAssignments::Change* SharedAssignments::change(const Cluster& cluster, const State* from, bool added,
                                                           NodeId node, const Placement& placement) {
  State& st = make_state(cluster, placement);
  st.parent = from;
  st.added = added;
  st.changed = node;
  return add_change(cluster, from, added, node, &st);
}

const SharedAssignments::State* SharedAssignments::state_of_set(const Cluster& cluster,
                                                                const std::vector<NodeId>& members) {
  auto it = sets_.find(members);
  if (it != sets_.end()) return it->second;
  const std::unique_ptr<Placement> placement = make_placement(s_->placement);
  std::vector<Member> list;
  for (NodeId n : members) list.push_back(placement_member(*s_, cluster, n));
  placement->add_all(list);
  const State* st = &make_state(cluster, *placement);
  sets_.emplace(members, st);
  return st;
}

const SharedAssignments::Change* SharedAssignments::add_change(const Cluster& cluster, const State* from, bool added,
                                                               NodeId node, const State* to) {
  Change c;
  c.to = to;
  c.movement = compare_assignments(from->owners, from->stride, to->owners, to->stride, node, cluster.size(),
                                   s_->moved_keys_traced);
  return &changes_.emplace(ChangeKey{from->id, added, node}, std::move(c)).first->second;
}

SharedAssignments::State& SharedAssignments::make_state(const Cluster& cluster, const Placement& placement) {
  auto st = std::make_unique<State>();
  st->id = static_cast<uint32_t>(states_.size());
  placement.assign(key_hashes_, s_->replicas, st->owners);
  st->stride = std::min(s_->replicas, placement.members().size());
  for (const Member& m : placement.members()) st->members.push_back(m.tag);
  std::sort(st->members.begin(), st->members.end());
  st->peak_to_mean = peak_to_mean(*st, primary_counts(*st, cluster), *s_);
  states_.push_back(std::move(st));
  return *states_.back();
}

}  // namespace dsim::ring
