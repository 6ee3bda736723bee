// The coordinator of three-phase commit (Skeen, 1981). It keeps no log: once it is gone
// the participants terminate among themselves.
//
// Transitions:
//   voting:         a NO vote or the vote timeout -> abort; all yes -> pre-committing
//                   (PRE_COMMIT to everyone)
//   pre-committing: all acks, or the ack timeout (a silent participant is taken for
//                   failed) -> commit
//   decide:         send the outcome to every participant, answer the client, forget
#pragma once

#include "protocols/2pc/coordinator_base.h"

namespace dsim::twopc {

class ThreePhaseCoordinator final : public CoordinatorBase {
 public:
  using CoordinatorBase::CoordinatorBase;

 protected:
  void start_commit(Context& ctx, Tx& tx) override;
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) override;
  void on_vote_timeout(Context& ctx, Tx& tx) override;

 private:
  void on_vote(Context& ctx, NodeId from, const msg::Vote& m);
  void on_pre_commit_ack(Context& ctx, NodeId from, const msg::PreCommitAck& m);
  void decide(Context& ctx, Tx& tx, Outcome outcome, std::string_view via);
};

}  // namespace dsim::twopc
