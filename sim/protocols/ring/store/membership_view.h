// One store node's view of which store nodes are up, from heartbeats: a peer joins the
// view when heard from and leaves it after `timeout` of silence (by this node's local
// clock). No agreement protocol: views differ between nodes, and a partition or a
// pause makes live nodes look dead (false suspicion) and then come back (flapping).
// Sans-I/O: the caller feeds it times and peers and applies the changes it reports.
#pragma once

#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace dsim::ring {

class MembershipView {
 public:
  // Starts with `self` and `assumed_up` in the view, all as if just heard from.
  MembershipView(size_t cluster_size, NodeId self, const std::vector<NodeId>& assumed_up, Instant now,
                 Duration timeout);

  // A heartbeat from `peer`. True when the peer was not in the view and now joins it.
  bool heard(NodeId peer, Instant now);
  // Peers silent for longer than the timeout, removed from the view now (in id order).
  std::vector<NodeId> expire(Instant now);

  bool contains(NodeId n) const { return in_view_[n]; }
  std::vector<NodeId> members() const;  // in id order, self included

 private:
  NodeId self_;
  Duration timeout_;
  std::vector<Instant> last_heard_;
  std::vector<bool> in_view_;
};

}  // namespace dsim::ring
