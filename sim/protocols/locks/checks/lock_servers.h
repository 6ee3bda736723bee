// Which nodes are lock servers (role "lock"): looked up in the cluster once, so that a
// checker does not compare role names on every event.
#pragma once

#include <vector>

#include "core/cluster.h"
#include "core/ids.h"

namespace dsim::locks {

class LockServers {
 public:
  bool contains(NodeId node, const Cluster& cluster) {
    if (is_lock_.empty()) {
      is_lock_.assign(cluster.size() + 1, 0);  // +1: never empty, even for an empty cluster
      for (NodeId n : cluster.with_role("lock")) is_lock_[n] = 1;
    }
    return node < is_lock_.size() && is_lock_[node] != 0;
  }

 private:
  std::vector<char> is_lock_;
};

}  // namespace dsim::locks
