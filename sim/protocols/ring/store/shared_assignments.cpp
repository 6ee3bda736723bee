#include "protocols/ring/store/shared_assignments.h"

#include <algorithm>
#include <stdexcept>

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

// A std::map node's bookkeeping beside its key and value (three pointers and a colour).
constexpr uint64_t kMapNodeBytes = 48;

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
  // Twice each store's own state: what a store placing keys by itself held (its owners,
  // and the next ones while a change computes them), as the estimate counts it.
  const uint64_t stores = std::max<uint64_t>(1, s_->stores.size());
  const uint64_t per_state = s_->keys * s_->replicas * sizeof(NodeId) + sizeof(State) + kMapNodeBytes +
                             2 * stores * sizeof(NodeId) + sizeof(uint64_t);
  budget_bytes_ = 2 * stores * per_state;
}

SharedAssignments::Ref SharedAssignments::find_start(const Cluster& cluster, const std::vector<NodeId>& members) {
  if (!by_history_) {
    std::vector<NodeId> sorted = members;
    std::sort(sorted.begin(), sorted.end());
    return Ref(this, state_of_set(cluster, sorted));
  }
  auto it = starts_.find(members);
  return it == starts_.end() ? Ref() : Ref(this, it->second);
}

SharedAssignments::Ref SharedAssignments::start(const Cluster& cluster, const std::vector<NodeId>& members,
                                                const Placement& placement) {
  State& st = make_state(cluster, placement);
  bytes_ -= bytes_of(st);
  st.initial = members;
  bytes_ += bytes_of(st);
  starts_.emplace(members, &st);
  return Ref(this, &st);
}

const SharedAssignments::Change* SharedAssignments::find_change(const Cluster& cluster, const State& from,
                                                                bool added, NodeId node) {
  auto it = changes_.find({from.id, added, node});
  if (it != changes_.end()) return &it->second;
  if (by_history_) return nullptr;
  std::vector<NodeId> next = from.members;
  if (added) {
    next.insert(std::upper_bound(next.begin(), next.end(), node), node);
  } else {
    next.erase(std::find(next.begin(), next.end(), node));
  }
  return add_change(cluster, from, added, node, *state_of_set(cluster, next));
}

const SharedAssignments::Change* SharedAssignments::change(const Cluster& cluster, const State& from, bool added,
                                                           NodeId node, const Placement& placement) {
  return add_change(cluster, from, added, node, make_state(cluster, placement));
}

SharedAssignments::State* SharedAssignments::state_of_set(const Cluster& cluster,
                                                          const std::vector<NodeId>& members) {
  auto it = sets_.find(members);
  if (it != sets_.end()) return it->second;
  const std::unique_ptr<Placement> placement = make_placement(s_->placement);
  std::vector<Member> list;
  for (NodeId n : members) list.push_back(placement_member(*s_, cluster, n));
  placement->add_all(list);
  State* st = &make_state(cluster, *placement);
  sets_.emplace(members, st);
  return st;
}

const SharedAssignments::Change* SharedAssignments::add_change(const Cluster& cluster, const State& from,
                                                               bool added, NodeId node, State& to) {
  const ChangeKey key{from.id, added, node};
  const Movement m = compare_assignments(from.owners, from.stride, to.owners, to.stride, node, cluster.size(),
                                         s_->moved_keys_traced);
  Change c;
  c.to = &to;
  c.seq = next_seq_++;
  c.moves.moved = m.moved;
  c.moves.moved_from_survivors = m.moved_from_survivors;
  c.moves.moved_to_others = m.moved_to_others;
  c.moves.replica_copies_moved = m.replica_copies_moved;
  c.moves.nodes_gaining = m.nodes_gaining();
  c.moves.nodes_losing = m.nodes_losing();
  c.moves.sample = m.sample;
  to.incoming.push_back(key);
  change_order_.emplace(c.seq, key);
  Change& stored = changes_.emplace(key, std::move(c)).first->second;
  bytes_ += bytes_of(stored);
  return &stored;
}

SharedAssignments::State& SharedAssignments::make_state(const Cluster& cluster, const Placement& placement) {
  auto owned = std::make_unique<State>();
  State& st = *owned;
  st.id = next_id_++;
  placement.assign(key_hashes_, s_->replicas, st.owners);
  st.owners.shrink_to_fit();
  st.stride = std::min(s_->replicas, placement.members().size());
  st.members.reserve(placement.members().size());
  for (const Member& m : placement.members()) st.members.push_back(m.tag);
  std::sort(st.members.begin(), st.members.end());
  st.peak_to_mean = peak_to_mean(st, primary_counts(st, cluster), *s_);
  // No Ref yet: dropped until its first holder takes it (the caller, before any release).
  st.in_dropped = true;
  st.dropped_at = dropped_.insert(dropped_.end(), st.id);
  bytes_ += bytes_of(st);
  states_.emplace(st.id, std::move(owned));
  return st;
}

SharedAssignments::Moves SharedAssignments::follow(const Change& c, Ref& state) {
  Moves moves = c.moves;
  state = Ref(this, c.to);  // lets the old state go: it may be dropped, not yet evicted
  trim();
  return moves;
}

void SharedAssignments::acquire(State& st) {
  if (st.holders++ == 0 && st.in_dropped) {
    dropped_.erase(st.dropped_at);
    st.in_dropped = false;
  }
}

void SharedAssignments::release(State& st) {
  if (st.holders == 0) throw std::logic_error("SharedAssignments: a state released more often than held");
  if (--st.holders != 0) return;
  st.in_dropped = true;
  st.dropped_at = dropped_.insert(dropped_.end(), st.id);
  trim();
}

void SharedAssignments::trim() {
  while (bytes_ > budget_bytes_ && !dropped_.empty()) evict_state(dropped_.front());
  while (bytes_ > budget_bytes_ && !change_order_.empty()) {
    evict_change(changes_.find(change_order_.begin()->second));
  }
}

void SharedAssignments::evict_state(uint64_t id) {
  auto it = states_.find(id);
  State& st = *it->second;
  // The changes from it (keyed by its id, so adjacent) and to it go with it.
  auto from = changes_.lower_bound({id, false, NodeId{0}});
  while (from != changes_.end() && std::get<0>(from->first) == id) evict_change(from++);
  while (!st.incoming.empty()) evict_change(changes_.find(st.incoming.back()));
  if (st.in_dropped) dropped_.erase(st.dropped_at);
  if (auto s = starts_.find(st.initial); !st.initial.empty() && s != starts_.end() && s->second == &st) {
    starts_.erase(s);
  }
  if (auto s = sets_.find(st.members); !by_history_ && s != sets_.end() && s->second == &st) sets_.erase(s);
  bytes_ -= bytes_of(st);
  states_.erase(it);
}

void SharedAssignments::evict_change(std::map<ChangeKey, Change>::iterator it) {
  std::vector<ChangeKey>& incoming = it->second.to->incoming;
  incoming.erase(std::find(incoming.begin(), incoming.end(), it->first));
  change_order_.erase(it->second.seq);
  bytes_ -= bytes_of(it->second);
  changes_.erase(it);
}

uint64_t SharedAssignments::bytes_of(const State& st) {
  return sizeof(State) + kMapNodeBytes + sizeof(uint64_t) + st.owners.capacity() * sizeof(NodeId) +
         st.members.capacity() * sizeof(NodeId) + st.initial.capacity() * sizeof(NodeId);
}

uint64_t SharedAssignments::bytes_of(const Change& c) {
  // Its entry in changes_, in change_order_ and in its state's incoming list.
  return sizeof(ChangeKey) + sizeof(Change) + kMapNodeBytes + sizeof(uint64_t) + sizeof(ChangeKey) +
         kMapNodeBytes + sizeof(ChangeKey) + c.moves.sample.capacity() * sizeof(KeyMove);
}

}  // namespace dsim::ring
