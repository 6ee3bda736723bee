// The participant of two-phase commit: the seed design (the execution answer is the
// vote; no log, no timeouts), basic 2PC, presumed abort and presumed commit, with the
// optional cooperative termination protocol (an in-doubt participant asks its peers).
//
// Transitions (state: message or timer -> next state):
//   executed:  PREPARE -> prepared (PREPARED forced, vote yes) | read_only (a reader
//              under PA/PC) | aborted (vote no, when its execution was lost)
//   prepared:  DECISION -> committed/aborted (outcome logged, forced per variant, ack per
//              variant); decision timeout -> ask coordinator (and peers), again every
//              retry interval; PEER_ANSWER with an outcome -> that outcome;
//              heuristic timeout (a mistake) -> aborted on its own
//   any:       PEER_INQUIRE -> answer; a peer that has not voted aborts and says so
//   restart:   prepared records without outcome -> prepared, locks taken again, ask at once
//   disk:      PREPARED not durable -> no yes vote (refused append: vote no); outcome not
//              durable -> no ack yet (two_phase_participant_log.cpp)
#pragma once

#include "protocols/2pc/participant_base.h"

namespace dsim::twopc {

class TwoPhaseParticipant final : public ParticipantBase {
 public:
  using ParticipantBase::ParticipantBase;

 protected:
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) override;
  void on_recovered_in_doubt(Context& ctx, Tx& tx) override;
  void on_executed(Context& ctx, Tx& tx) override;

 private:
  void on_prepare(Context& ctx, NodeId from, const msg::Prepare& m);
  void on_decision(Context& ctx, NodeId from, const msg::Decision& m);
  void on_peer_inquire(Context& ctx, NodeId from, const msg::PeerInquire& m);
  void on_peer_answer(Context& ctx, const msg::PeerAnswer& m);
  void vote(Context& ctx, NodeId to, Tx& tx, VoteValue vote, bool forced);
  void become_prepared(Context& ctx, Tx& tx);
  // PREPARED is durable (or not logged at all): promise and vote yes.
  void vote_yes(Context& ctx, Tx& tx, bool forced);
  // Disk faults (two_phase_participant_log.cpp): PREPARED could not be made durable.
  void refuse_unlogged(Context& ctx, Tx& tx);
  void on_log_retry(Context& ctx, Tx& tx);
  void ask(Context& ctx, Tx& tx);
  bool acks(Outcome o) const;
};

}  // namespace dsim::twopc
