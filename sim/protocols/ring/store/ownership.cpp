#include "protocols/ring/store/ownership.h"

namespace dsim::ring {

Ownership::Ownership(std::shared_ptr<SharedAssignments> shared, const Cluster& cluster,
                     const std::vector<NodeId>& members)
    : shared_(std::move(shared)), settings_(shared_->settings()), cluster_(cluster) {
  state_ = shared_->find_start(cluster_, members);
  if (!shared_->by_history()) return;
  // A history-dependent placement (jump) is cheap to keep: a list of members, no table.
  placement_ = make_placement(settings_.placement);
  std::vector<Member> initial;
  for (NodeId n : members) initial.push_back(placement_member(settings_, cluster_, n));
  placement_->add_all(initial);
  if (!state_) state_ = shared_->start(cluster_, members, *placement_);
}

Ownership::Moves Ownership::change(bool added, NodeId node) {
  if (placement_ != nullptr) {
    if (added) {
      placement_->add(placement_member(settings_, cluster_, node));
    } else {
      placement_->remove(node);
    }
  }
  const SharedAssignments::Change* next = shared_->find_change(cluster_, *state_, added, node);
  if (next == nullptr) next = shared_->change(cluster_, *state_, added, node, *placement_);  // by history, new
  return shared_->follow(*next, state_);
}

}  // namespace dsim::ring
