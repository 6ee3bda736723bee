// A resource manager (participant) of Paxos Commit.
//
// Transitions:
//   executed:  PREPARE -> prepared: PREPARED forced, then its vote goes to the acceptors
//              as phase 2a of its own instance at ballot 0 ("prepared"; "aborted" when it
//              refuses), answered to the leader
//   prepared:  DECISION -> committed/aborted; decision timeout -> it leads a higher
//              ballot for every instance of the transaction itself (the acceptors hold
//              the votes, so no coordinator is needed), tells the others the outcome;
//              retried with a higher ballot every retry interval
//   restart:   prepared records -> lead a ballot at once
#pragma once

#include <map>

#include "protocols/2pc/paxos_round.h"
#include "protocols/2pc/participant_base.h"

namespace dsim::twopc {

class PaxosParticipant final : public ParticipantBase {
 public:
  using ParticipantBase::ParticipantBase;

 protected:
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) override;
  void on_recovered_in_doubt(Context& ctx, Tx& tx) override;

 private:
  void on_prepare(Context& ctx, NodeId from, const msg::Prepare& m);
  void on_decision(Context& ctx, NodeId from, const msg::Decision& m);
  void propose_own_vote(Context& ctx, Tx& tx, const char* value);
  void lead(Context& ctx, Tx& tx);
  void check_round(Context& ctx, Tx& tx);

  std::map<TxId, PaxosRound, TxId::by_text> rounds_;  // transactions it is leading a ballot for
};

}  // namespace dsim::twopc
