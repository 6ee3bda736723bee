// The replica of a replicated participant group (role "replica"; the k-th replica serves
// the k-th participant). It applies its primary's log records (replication.h) to a log
// of its own, synced before it acknowledges, and grants the primary's lease with each
// acknowledgement. Until promoted it serves nothing.
//
// Failover rule (a lease, as a Patroni leader key's TTL): a replica that has heard
// nothing from its primary for `failover_after` (> the primary's lease) promotes itself:
// it marks itself promoted on its disk, recovers a TwoPhaseParticipant from the log it
// holds (under the group's name: the checks see the group recover, and a prepare the log
// lacks is a promise forgotten), tells every coordinator (new_primary, again every
// failover_after), and answers its old primary `fenced`. A record that never reached
// it is lost: in async mode that includes PREPARED records behind yes votes. The demoted
// node is not re-added (an operator would re-clone it); the group runs on one node.
//
// A fresh replica starts from a snapshot of the group's opening balances (the primary's
// first record, which it therefore already holds).
#pragma once

#include <memory>
#include <set>

#include "core/process.h"
#include "protocols/2pc/replication.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/two_phase_participant.h"

namespace dsim::twopc {

class ParticipantReplica final : public Process {
 public:
  explicit ParticipantReplica(std::shared_ptr<const Settings> settings);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  // For tests and tools.
  bool promoted() const { return promoted_; }
  const TwoPhaseParticipant* participant() const { return inner_.get(); }

 private:
  void apply(Context& ctx, NodeId from, const msg::ReplAppend& a);
  void arm_failover(Context& ctx);
  void promote(Context& ctx);
  void serve(Context& ctx);
  void announce(Context& ctx);

  std::shared_ptr<const Settings> s_;
  NodeId group_ = kNoNode;
  bool promoted_ = false;
  TimerId failover_timer_ = 0;
  std::unique_ptr<TwoPhaseParticipant> inner_;
};

}  // namespace dsim::twopc
