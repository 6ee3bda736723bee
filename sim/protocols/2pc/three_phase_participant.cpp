#include "protocols/2pc/three_phase_participant.h"

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/records.h"

namespace dsim::twopc {

using msg::TerminationState;

void ThreePhaseParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* prepare = m.as<msg::Prepare>()) {
    on_prepare(ctx, from, *prepare);
  } else if (const auto* pre_commit = m.as<msg::PreCommit>()) {
    on_pre_commit(ctx, from, *pre_commit);
  } else if (const auto* decision = m.as<msg::Decision>()) {
    on_decision(ctx, from, *decision);
  } else if (const auto* request = m.as<msg::StateRequest>()) {
    on_state_request(ctx, from, *request);
  } else if (const auto* reply = m.as<msg::StateReply>()) {
    on_state_reply(ctx, from, *reply);
  }
}

void ThreePhaseParticipant::on_prepare(Context& ctx, NodeId from, const msg::Prepare& m) {
  PrepareCheck c = take_prepare(ctx, from, m);
  if (c.answer) {
    ctx.send(from, msg::Vote{about(*c.tx), *c.answer});
    if (c.fresh) trace_vote(ctx, *c.tx, *c.answer, false);
    return;
  }
  Tx& tx = *c.tx;
  stop_waiting(ctx, tx);
  bool forced = log_prepared(ctx, tx);
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  ctx.send(from, msg::Vote{about(tx), VoteValue::kYes});
  trace_vote(ctx, tx, VoteValue::kYes, forced);
  wait(ctx, tx, settings().timing.decision_timeout, TxTimer::kDecisionWait);
}

void ThreePhaseParticipant::on_pre_commit(Context& ctx, NodeId from, const msg::PreCommit& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr) return;
  if (tx->state == State::kPrepared) {
    tx->hops = m.hops + 1;
    tx->forces = m.forces + 1;
    log(ctx, tx->id, rec::PreCommit{tx->id}, true);
    tx->state = State::kPreCommitted;
    ctx.trace(ev::PreCommitted{tx->id});
    wait(ctx, *tx, settings().timing.decision_timeout, TxTimer::kDecisionWait);
  }
  if (tx->state == State::kPreCommitted) ctx.send(from, msg::PreCommitAck{about(*tx)});
}

void ThreePhaseParticipant::on_decision(Context& ctx, NodeId from, const msg::Decision& m) {
  const TxId& id = m.tx;
  Outcome outcome = m.outcome;
  Tx* tx = awaiting_decision(ctx, id, outcome);
  if (tx == nullptr) return;
  replies_.erase(id);
  recovering_.erase(id);
  const char* via = ctx.cluster().role(from) == "coordinator" ? "coordinator" : "peer";
  finish(ctx, *tx, outcome, via, m.hops, m.forces);
}

void ThreePhaseParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (tx.state != State::kPrepared && tx.state != State::kPreCommitted) return;
  if (t.is(TxTimer::kDecisionWait)) start_termination(ctx, tx);
  if (t.is(TxTimer::kTermination)) conclude_termination(ctx, tx);
}

void ThreePhaseParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) {
  recovering_.insert(tx.id);
  start_termination(ctx, tx);
}

TerminationState ThreePhaseParticipant::termination_state(State s) {
  switch (s) {
    case State::kCommitted:
      return TerminationState::kCommitted;
    case State::kPreCommitted:
      return TerminationState::kPreCommitted;
    case State::kPrepared:
      return TerminationState::kUncertain;
    default:
      return TerminationState::kAborted;
  }
}

void ThreePhaseParticipant::start_termination(Context& ctx, Tx& tx) {
  replies_[tx.id].clear();
  std::vector<NodeId> to;
  for (NodeId peer : tx.participants()) {
    if (peer == ctx.self()) continue;
    ctx.send(peer, msg::StateRequest{about(tx)});
    to.push_back(peer);
  }
  ctx.trace(ev::Inquired{tx.id, to, std::nullopt, &ctx.cluster()});
  wait(ctx, tx, settings().timing.termination_wait, TxTimer::kTermination);
}

void ThreePhaseParticipant::on_state_request(Context& ctx, NodeId from, const msg::StateRequest& m) {
  const TxId& id = m.tx;
  Tx* tx = find(id);
  if (tx == nullptr) {
    // Never voted: promise never to, durably, so the asker may abort.
    tx = &remember_abort(ctx, id, true);
  } else if (tx->state == State::kWorking || tx->state == State::kExecuted) {
    finish(ctx, *tx, Outcome::kAbort, "peer_inquire", tx->hops, tx->forces);
  }
  ctx.send(from, msg::StateReply{{id, m.hops + 1, m.forces}, termination_state(tx->state),
                                 recovering_.count(id) != 0});
}

void ThreePhaseParticipant::on_state_reply(Context& ctx, NodeId from, const msg::StateReply& m) {
  auto it = replies_.find(m.tx);
  if (it != replies_.end()) it->second[from] = Reply{m.state, m.recovering};
}

void ThreePhaseParticipant::conclude_termination(Context& ctx, Tx& tx) {
  std::map<NodeId, Reply> states = std::move(replies_[tx.id]);
  replies_.erase(tx.id);
  states[ctx.self()] = Reply{termination_state(tx.state), recovering_.count(tx.id) != 0};
  bool any_commit = false, any_abort = false, any_precommit = false;
  NodeId leader = kNoNode;  // the lowest-numbered operational participant that answered
  for (const auto& [peer, reply] : states) {
    any_commit |= reply.state == TerminationState::kCommitted;
    any_abort |= reply.state == TerminationState::kAborted;
    any_precommit |= reply.state == TerminationState::kPreCommitted;
    if (!reply.recovering && leader == kNoNode) leader = peer;
  }
  // A peer's outcome is final: adopt it whoever leads. Otherwise only the leader decides;
  // the others wait for it, and ask again if it stays silent.
  if (!any_commit && !any_abort && leader != ctx.self()) {
    wait(ctx, tx, settings().timing.decision_timeout, TxTimer::kDecisionWait);
    return;
  }
  Outcome outcome = any_commit || (!any_abort && any_precommit) ? Outcome::kCommit : Outcome::kAbort;
  std::vector<NodeId> to;
  ++tx.hops;
  for (NodeId peer : tx.participants()) {
    if (peer == ctx.self()) continue;
    ctx.send(peer, msg::Decision{about(tx), outcome});
    to.push_back(peer);
  }
  ctx.trace(ev::Decision{tx.id, outcome, "termination", to, false, 0, 0, &ctx.cluster()});
  recovering_.erase(tx.id);
  finish(ctx, tx, outcome, "termination", tx.hops, tx.forces);
}

}  // namespace dsim::twopc
