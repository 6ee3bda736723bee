// Who holds which key of the store's fixed key space, under one node's current view:
// the placement algorithm plus the assignment of every key (R replicas each). Each
// membership change re-assigns the key space and reports the movement it caused.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/cluster.h"
#include "protocols/ring/stats/movement.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

class Ownership {
 public:
  Ownership(const StoreSettings& settings, const Cluster& cluster, const std::vector<NodeId>& members);

  Movement add(NodeId node);
  Movement remove(NodeId node);

  // The key's replicas, primary first: min(R, members) distinct nodes.
  std::span<const NodeId> replicas(size_t key) const {
    return std::span<const NodeId>(owners_).subspan(key * stride_, stride_);
  }
  size_t stride() const { return stride_; }
  size_t member_count() const { return placement_->members().size(); }
  std::vector<NodeId> members() const;
  // Primary keys per member over the key space, peak over mean (1.0 = even); with
  // weights (nodes_file), the largest load over its fair share.
  double peak_to_mean() const;
  // Primary keys per member, in id order: {name: count}.
  std::vector<std::pair<NodeId, uint64_t>> primary_counts() const;

 private:
  Movement reassign(NodeId changed);

  const StoreSettings& settings_;
  const Cluster& cluster_;
  std::unique_ptr<Placement> placement_;
  std::vector<uint64_t> key_hashes_;
  std::vector<NodeId> owners_;  // stride_ per key
  size_t stride_ = 0;
};

}  // namespace dsim::ring
