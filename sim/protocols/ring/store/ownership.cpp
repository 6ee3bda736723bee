#include "protocols/ring/store/ownership.h"

namespace dsim::ring {

Ownership::Ownership(std::shared_ptr<SharedAssignments> shared, const Cluster& cluster,
                     const std::vector<NodeId>& members)
    : shared_(std::move(shared)), settings_(shared_->settings()), cluster_(cluster) {
  state_ = shared_->find_start(cluster_, members);
  if (state_ == nullptr) {  // by history, and new
    placement_ = make_placement(settings_.placement);
    std::vector<Member> initial;
    for (NodeId n : members) initial.push_back(placement_member(settings_, cluster_, n));
    placement_->add_all(initial);
    state_ = shared_->start(cluster_, members, *placement_);
    applied_ = 1;
  }
  if (shared_->by_history()) history_.push_back(state_);
}

Movement Ownership::change(bool added, NodeId node) {
  const SharedAssignments::Change* next = shared_->find_change(cluster_, state_, added, node);
  if (next == nullptr) {  // by history, and new
    catch_up();
    if (added) {
      placement_->add(placement_member(settings_, cluster_, node));
    } else {
      placement_->remove(node);
    }
    next = shared_->change(cluster_, state_, added, node, *placement_);
    applied_ = history_.size() + 1;
  }
  if (shared_->by_history()) history_.push_back(next->to);
  state_ = next->to;
  return next->movement;
}

void Ownership::catch_up() {
  if (placement_ == nullptr) {
    placement_ = make_placement(settings_.placement);
    std::vector<Member> initial;
    for (NodeId n : history_[0]->initial) initial.push_back(placement_member(settings_, cluster_, n));
    placement_->add_all(initial);
    applied_ = 1;
  }
  for (; applied_ < history_.size(); ++applied_) apply(*history_[applied_]);
}

void Ownership::apply(const SharedAssignments::State& step) {
  if (step.added) {
    placement_->add(placement_member(settings_, cluster_, step.changed));
  } else {
    placement_->remove(step.changed);
  }
}

}  // namespace dsim::ring
