// Who holds which key of the store's fixed key space, under one node's current view:
// the placement algorithm plus the assignment of every key (R replicas each). Each
// membership change re-assigns the key space and reports the movement it caused.
// Assignments are shared between the run's stores (shared_assignments.h). By history
// (jump), a store keeps its own placement, which catches up on the changes it skipped
// only when it must compute a state no other store has.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/cluster.h"
#include "protocols/ring/stats/movement.h"
#include "protocols/ring/store/shared_assignments.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

class Ownership {
 public:
  Ownership(std::shared_ptr<SharedAssignments> shared, const Cluster& cluster, const std::vector<NodeId>& members);

  Movement add(NodeId node) { return change(true, node); }
  Movement remove(NodeId node) { return change(false, node); }

  // The key's replicas, primary first: min(R, members) distinct nodes.
  std::span<const NodeId> replicas(size_t key) const {
    return std::span<const NodeId>(state_->owners).subspan(key * state_->stride, state_->stride);
  }
  // The current assignment. A state never changes, and outlives this Ownership (the run's
  // SharedAssignments holds it): a store keeps the previous one across a change.
  const SharedAssignments::State& state() const { return *state_; }
  size_t stride() const { return state_->stride; }
  size_t member_count() const { return state_->members.size(); }
  const std::vector<NodeId>& members() const { return state_->members; }  // in id order
  // Primary keys per member over the key space, peak over mean (1.0 = even); with
  // weights (nodes_file), the largest load over its fair share.
  double peak_to_mean() const { return state_->peak_to_mean; }
  // Primary keys per member, in id order: {node, count}.
  std::vector<std::pair<NodeId, uint64_t>> primary_counts() const { return ring::primary_counts(*state_, cluster_); }

 private:
  Movement change(bool added, NodeId node);
  // Brings placement_ to the current state's history (builds it on first use).
  void catch_up();
  void apply(const SharedAssignments::State& step);

  std::shared_ptr<SharedAssignments> shared_;
  const StoreSettings& settings_;
  const Cluster& cluster_;
  const SharedAssignments::State* state_ = nullptr;
  // By history only: the states from the start to state_, and this store's placement, at
  // history_[0 .. applied_) (null until first needed).
  std::vector<const SharedAssignments::State*> history_;
  std::unique_ptr<Placement> placement_;
  size_t applied_ = 0;
};

}  // namespace dsim::ring
