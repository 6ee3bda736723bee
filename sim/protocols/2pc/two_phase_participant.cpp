#include "protocols/2pc/two_phase_participant.h"

#include <algorithm>

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/recovery_messages.h"

namespace dsim::twopc {

void TwoPhaseParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* prepare = m.as<msg::Prepare>()) {
    on_prepare(ctx, from, *prepare);
  } else if (const auto* decision = m.as<msg::Decision>()) {
    on_decision(ctx, from, *decision);
  } else if (const auto* inquire = m.as<msg::PeerInquire>()) {
    on_peer_inquire(ctx, from, *inquire);
  } else if (const auto* answer = m.as<msg::PeerAnswer>()) {
    on_peer_answer(ctx, *answer);
  } else if (m.as<msg::RecoveryScan>() != nullptr) {
    answer_recovery_scan(ctx, from);
  } else if (const auto* resolve = m.as<msg::RecoveryResolve>()) {
    on_recovery_resolve(ctx, *resolve);
  }
}

bool TwoPhaseParticipant::acks(Outcome o) const {
  return o == Outcome::kCommit ? settings().rules.commit_acks : settings().rules.abort_acks;
}

void TwoPhaseParticipant::on_executed(Context& ctx, Tx& tx) {
  if (settings().variant != Variant::kSeed) {
    ParticipantBase::on_executed(ctx, tx);
    return;
  }
  // The seed design has no separate vote: answering the request is the promise.
  trace_vote(ctx, tx, VoteValue::kYes, false);
}

void TwoPhaseParticipant::vote(Context& ctx, NodeId to, Tx& tx, VoteValue vote, bool forced) {
  ctx.send(to, msg::Vote{about(tx), vote});
  trace_vote(ctx, tx, vote, forced);
}

void TwoPhaseParticipant::on_prepare(Context& ctx, NodeId from, const msg::Prepare& m) {
  PrepareCheck c = take_prepare(ctx, from, m);
  if (c.answer) {
    if (c.fresh) {
      vote(ctx, from, *c.tx, *c.answer, false);
    } else {
      ctx.send(from, msg::Vote{about(*c.tx), *c.answer});
    }
    return;
  }
  if (settings().rules.read_only_optimization && !ops_write(c.tx->ops())) {
    finish_read_only(ctx, *c.tx);
    vote(ctx, from, *c.tx, VoteValue::kReadOnly, false);
    return;
  }
  become_prepared(ctx, *c.tx);
}

void TwoPhaseParticipant::become_prepared(Context& ctx, Tx& tx) {
  if (tx.preparing) return;  // a duplicate PREPARE while PREPARED is being forced
  stop_waiting(ctx, tx);
  DiskStatus logged = write_prepared(ctx, tx);
  if (logged == DiskStatus::kIoError) {
    refuse_unlogged(ctx, tx);  // not durable: it must not promise
    return;
  }
  if (logged == DiskStatus::kInProgress) {
    wait(ctx, tx, settings().timing.log_retry_interval, TxTimer::kLogRetry);
    return;
  }
  vote_yes(ctx, tx, tx.logged_prepared);
}

void TwoPhaseParticipant::vote_yes(Context& ctx, Tx& tx, bool forced) {
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  vote(ctx, tx.coordinator, tx, VoteValue::kYes, forced);
  if (settings().rules.timeouts && !settings().mistakes.participant_never_inquires) {
    wait(ctx, tx, settings().timing.decision_timeout, TxTimer::kDecisionWait);
  }
  if (settings().mistakes.heuristic_abort_after) {
    tx.heuristic_timer =
        ctx.set_timer(*settings().mistakes.heuristic_abort_after, TxTimer::kHeuristic, handle_of(tx));
  }
}

void TwoPhaseParticipant::on_decision(Context& ctx, NodeId from, const msg::Decision& m) {
  const TxId& id = m.tx;
  Outcome outcome = m.outcome;
  Tx* tx = find(id);
  if (tx == nullptr) {
    // Never heard of it, or forgot it in a crash (nothing was logged).
    ctx.trace(ev::UnknownDecision{id, outcome});
    if (outcome == Outcome::kAbort) remember_empty_rollback(ctx, id);
    if (acks(outcome)) ctx.send(from, msg::Ack{{id, m.hops + 1, 0}});
    return;
  }
  if (tx->state == State::kReadOnly) return;
  bool was_prepared = tx->state == State::kPrepared || tx->state == State::kPreCommitted;
  if (is_final(*tx)) {
    Outcome had = tx->state == State::kCommitted ? Outcome::kCommit : Outcome::kAbort;
    if (had != outcome) ctx.trace(ev::ConflictingDecision{id, had, outcome});
    // The acknowledgement lets the coordinator forget: only once the outcome is durable.
    if (acks(outcome) && outcome_durable(ctx, *tx)) ctx.send(from, msg::Ack{about(*tx)});
    return;
  }
  finish(ctx, *tx, outcome, "coordinator", m.hops, m.forces);
  if (was_prepared && acks(outcome)) {
    if (outcome_durable(ctx, *tx)) {
      ctx.send(from, msg::Ack{about(*tx)});
    } else {
      wait(ctx, *tx, settings().timing.log_retry_interval, TxTimer::kLogRetry);
    }
  }
}

void TwoPhaseParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (t.is(TxTimer::kLogRetry)) {
    on_log_retry(ctx, tx);
    return;
  }
  if (tx.state != State::kPrepared) return;
  if (t.is(TxTimer::kDecisionWait)) {
    ask(ctx, tx);
    wait(ctx, tx, settings().timing.retry_interval, TxTimer::kDecisionWait);
  } else if (t.is(TxTimer::kHeuristic)) {
    tx.heuristic_timer = 0;
    finish(ctx, tx, Outcome::kAbort, "heuristic", tx.hops, tx.forces, /*heuristic=*/true);
  }
}

void TwoPhaseParticipant::ask(Context& ctx, Tx& tx) {
  std::vector<NodeId> to;
  ctx.send(tx.coordinator, msg::Inquire{about(tx)});
  to.push_back(tx.coordinator);
  if (settings().cooperative_termination) {
    for (NodeId peer : tx.participants()) {
      if (peer == ctx.self()) continue;
      ctx.send(peer, msg::PeerInquire{about(tx)});
      to.push_back(peer);
    }
  }
  ctx.trace(ev::Inquired{tx.id, to, std::nullopt, &ctx.cluster()});
}

void TwoPhaseParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) {
  if (!settings().rules.timeouts) return;
  if (settings().mistakes.participant_never_inquires) return;
  ask(ctx, tx);
  wait(ctx, tx, settings().timing.retry_interval, TxTimer::kDecisionWait);
  if (settings().mistakes.heuristic_abort_after) {
    tx.heuristic_timer =
        ctx.set_timer(*settings().mistakes.heuristic_abort_after, TxTimer::kHeuristic, handle_of(tx));
  }
}

void TwoPhaseParticipant::on_peer_inquire(Context& ctx, NodeId from, const msg::PeerInquire& m) {
  const TxId& id = m.tx;
  Tx* tx = find(id);
  msg::PeerState state = msg::PeerState::kUncertain;
  if (tx != nullptr) {
    if (tx->state == State::kWorking || tx->state == State::kExecuted) {
      // Not yet voted: it may still say no, and does, so the asker can abort.
      finish(ctx, *tx, Outcome::kAbort, "peer_inquire", tx->hops, tx->forces);
    }
    if (tx->state == State::kCommitted) state = msg::PeerState::kCommit;
    if (tx->state == State::kAborted) state = msg::PeerState::kAbort;
  }
  int64_t hops = m.hops + 1;
  int64_t forces = tx != nullptr ? std::max(tx->forces, m.forces) : m.forces;
  ctx.send(from, msg::PeerAnswer{{id, hops, forces}, state});
}

void TwoPhaseParticipant::on_peer_answer(Context& ctx, const msg::PeerAnswer& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->state != State::kPrepared || m.state == msg::PeerState::kUncertain) return;
  Outcome outcome = m.state == msg::PeerState::kCommit ? Outcome::kCommit : Outcome::kAbort;
  finish(ctx, *tx, outcome, "peer", m.hops, m.forces);
}

}  // namespace dsim::twopc
