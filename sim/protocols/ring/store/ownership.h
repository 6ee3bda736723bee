// Who holds which key of the store's fixed key space, under one node's current view:
// the placement algorithm plus the assignment of every key (R replicas each). Each
// membership change re-assigns the key space and reports the movement it caused.
// Assignments are shared between the run's stores (shared_assignments.h); an Ownership
// holds its current one. By history (jump), a store also keeps its own placement,
// following every change, for the states no other store has computed.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/cluster.h"
#include "protocols/ring/store/shared_assignments.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

class Ownership {
 public:
  using Moves = SharedAssignments::Moves;

  Ownership(std::shared_ptr<SharedAssignments> shared, const Cluster& cluster, const std::vector<NodeId>& members);

  Moves add(NodeId node) { return change(true, node); }
  Moves remove(NodeId node) { return change(false, node); }

  // The key's replicas, primary first: min(R, members) distinct nodes. Valid until the
  // next change.
  std::span<const NodeId> replicas(size_t key) const {
    return std::span<const NodeId>(state_->owners).subspan(key * state_->stride, state_->stride);
  }
  // The current assignment. A state never changes; copying the Ref keeps it in memory
  // after this Ownership moves on (a store keeps the previous one across a change).
  const SharedAssignments::State& state() const { return *state_; }
  const SharedAssignments::Ref& state_ref() const { return state_; }
  size_t stride() const { return state_->stride; }
  size_t member_count() const { return state_->members.size(); }
  const std::vector<NodeId>& members() const { return state_->members; }  // in id order
  // Primary keys per member over the key space, peak over mean (1.0 = even); with
  // weights (nodes_file), the largest load over its fair share.
  double peak_to_mean() const { return state_->peak_to_mean; }
  // Primary keys per member, in id order: {node, count}.
  std::vector<std::pair<NodeId, uint64_t>> primary_counts() const { return ring::primary_counts(*state_, cluster_); }

 private:
  Moves change(bool added, NodeId node);

  std::shared_ptr<SharedAssignments> shared_;  // declared first: outlives state_
  const StoreSettings& settings_;
  const Cluster& cluster_;
  SharedAssignments::Ref state_;
  std::unique_ptr<Placement> placement_;  // by history only: at state_'s history
};

}  // namespace dsim::ring
