// A coordinator in a scenario with replicated participants: the coordinator itself,
// unchanged, behind a router that knows which node serves each participant group now.
// The coordinator names a participant by its group (the group's first primary); the
// router sends to the group's current primary, learned from new_primary announcements
// (replication.h), and shows a message from any member of a group as from the group.
// A restarted coordinator routes to the first primaries until it hears again; a demoted
// primary answers with new_primary.
#pragma once

#include <map>
#include <memory>

#include "core/process.h"
#include "protocols/2pc/settings.h"

namespace dsim::twopc {

class GroupRouter final : public Process {
 public:
  GroupRouter(std::shared_ptr<const Settings> settings, std::unique_ptr<Process> inner);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  // The node that now serves `group` (the group itself until told otherwise).
  NodeId route(NodeId group) const;
  Process& inner() { return *inner_; }

 private:
  std::shared_ptr<const Settings> s_;
  std::unique_ptr<Process> inner_;
  std::map<NodeId, NodeId> route_;  // group -> its primary, when not the group itself
};

}  // namespace dsim::twopc
