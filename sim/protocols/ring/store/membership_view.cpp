#include "protocols/ring/store/membership_view.h"

namespace dsim::ring {

MembershipView::MembershipView(size_t cluster_size, NodeId self, const std::vector<NodeId>& assumed_up,
                               Instant now, Duration timeout)
    : self_(self), timeout_(timeout), last_heard_(cluster_size, now), in_view_(cluster_size, false) {
  in_view_[self] = true;
  for (NodeId n : assumed_up) in_view_[n] = true;
}

bool MembershipView::heard(NodeId peer, Instant now) {
  last_heard_[peer] = now;
  if (in_view_[peer]) return false;
  in_view_[peer] = true;
  return true;
}

std::vector<NodeId> MembershipView::expire(Instant now) {
  std::vector<NodeId> gone;
  for (NodeId n = 0; n < in_view_.size(); ++n) {
    if (n == self_ || !in_view_[n] || now - last_heard_[n] <= timeout_) continue;
    in_view_[n] = false;
    gone.push_back(n);
  }
  return gone;
}

std::vector<NodeId> MembershipView::members() const {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < in_view_.size(); ++n) {
    if (in_view_[n]) out.push_back(n);
  }
  return out;
}

}  // namespace dsim::ring
