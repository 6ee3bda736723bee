// The initial leader of Paxos Commit. It keeps no log and needs no acks: the votes live
// in the acceptors.
//
// Transitions:
//   voting:   BEGIN-COMMIT (our PREPARE) to every participant; each one's instance is
//             decided when F+1 acceptors accept the same ballot (their P2B come here);
//             any "aborted" -> abort; all "prepared" -> commit
//   timeout:  it leads a higher ballot for the undecided instances, proposing "aborted"
//             where nothing was accepted; retried every retry interval
//   decide:   send the outcome to every participant, answer the client, forget
#pragma once

#include <map>

#include "protocols/2pc/coordinator_base.h"
#include "protocols/2pc/paxos_round.h"

namespace dsim::twopc {

class PaxosCoordinator final : public CoordinatorBase {
 public:
  using CoordinatorBase::CoordinatorBase;

 protected:
  void start_commit(Context& ctx, Tx& tx) override;
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) override;
  void on_vote_timeout(Context& ctx, Tx& tx) override;

 private:
  void check(Context& ctx, Tx& tx);

  std::map<TxId, PaxosRound, TxId::by_text> rounds_;
};

}  // namespace dsim::twopc
