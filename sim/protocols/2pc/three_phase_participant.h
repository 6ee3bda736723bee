// The participant of three-phase commit (Skeen, 1981) with timeout-based termination.
//
// Transitions:
//   executed:      PREPARE -> prepared (PREPARED forced, vote yes)
//   prepared:      PRE_COMMIT -> precommitted (forced, acknowledged)
//   prepared or precommitted: DECISION -> committed/aborted;
//                  decision timeout -> termination: ask every peer for its state, wait
//                  `termination_wait`; a peer that knows the outcome settles it; otherwise
//                  if it is the lowest-numbered participant that answered, decide: anyone
//                  precommitted -> commit; all uncertain -> abort; tell everyone. Otherwise
//                  wait for that leader, and ask again if it stays silent.
//   STATE_REQ:     answer the state; one that has not voted aborts first (and one that
//                  never heard of the transaction remembers it aborted, durably).
//   restart:       prepared/precommitted records -> termination at once, but as a
//                  recovering site: it adopts an outcome a peer knows and never leads or
//                  decides by the rule itself (it may have missed a decision while down),
//                  so 3PC blocks when every participant of a transaction failed.
// The rule "all uncertain -> abort" is what a partition breaks: the side that never saw
// the pre-commit aborts while the other side commits.
// Simplified from Skeen: a termination leader that finds a precommitted peer commits at
// once instead of first re-running the pre-commit round.
#pragma once

#include <map>
#include <set>

#include "protocols/2pc/participant_base.h"

namespace dsim::twopc {

class ThreePhaseParticipant final : public ParticipantBase {
 public:
  using ParticipantBase::ParticipantBase;

 protected:
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) override;
  void on_recovered_in_doubt(Context& ctx, Tx& tx) override;

 private:
  void on_prepare(Context& ctx, NodeId from, const msg::Prepare& m);
  void on_pre_commit(Context& ctx, NodeId from, const msg::PreCommit& m);
  void on_decision(Context& ctx, NodeId from, const msg::Decision& m);
  void on_state_request(Context& ctx, NodeId from, const msg::StateRequest& m);
  void on_state_reply(Context& ctx, NodeId from, const msg::StateReply& m);
  void start_termination(Context& ctx, Tx& tx);
  void conclude_termination(Context& ctx, Tx& tx);
  static msg::TerminationState termination_state(State s);

  struct Reply {
    msg::TerminationState state;
    bool recovering = false;
  };
  std::map<TxId, std::map<NodeId, Reply>, TxId::by_text> replies_;  // tx -> peer -> its state
  std::set<TxId, TxId::by_text> recovering_;  // in doubt since a restart: may only adopt outcomes
};

}  // namespace dsim::twopc
