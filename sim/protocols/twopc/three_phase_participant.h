// The participant of three-phase commit (Skeen, 1981) with timeout-based termination.
//
// Transitions:
//   executed:      PREPARE -> prepared (PREPARED forced, vote yes)
//   prepared:      PRE_COMMIT -> precommitted (forced, acknowledged)
//   prepared or precommitted: DECISION -> committed/aborted;
//                  decision timeout -> termination: ask every peer for its state, wait
//                  `termination_wait`, and if it is the lowest-numbered participant that
//                  answered, decide: anyone committed or precommitted -> commit; anyone
//                  aborted or all uncertain -> abort; tell everyone. Otherwise wait again.
//   STATE_REQ:     answer the state; one that has not voted aborts first (and one that
//                  never heard of the transaction remembers it aborted, durably).
//   restart:       prepared/precommitted records -> termination at once.
// The rule "all uncertain -> abort" is what a partition breaks: the side that never saw
// the pre-commit aborts while the other side commits.
// Simplified from Skeen: a termination leader that finds a precommitted peer commits at
// once instead of first re-running the pre-commit round.
#pragma once

#include <map>

#include "protocols/twopc/participant_base.h"

namespace dsim::twopc {

class ThreePhaseParticipant final : public ParticipantBase {
 public:
  using ParticipantBase::ParticipantBase;

 protected:
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) override;
  void on_recovered_in_doubt(Context& ctx, Tx& tx) override;

 private:
  void on_prepare(Context& ctx, NodeId from, const Json& body);
  void on_pre_commit(Context& ctx, NodeId from, const Json& body);
  void on_decision(Context& ctx, NodeId from, const Json& body);
  void on_state_request(Context& ctx, NodeId from, const Json& body);
  void on_state_reply(Context& ctx, NodeId from, const Json& body);
  void start_termination(Context& ctx, Tx& tx);
  void conclude_termination(Context& ctx, Tx& tx);
  static const char* termination_state(State s);

  std::map<std::string, std::map<NodeId, std::string>> replies_;  // tx -> peer -> state
};

}  // namespace dsim::twopc
