#include "protocols/twopc/two_phase_participant.h"

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void TwoPhaseParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kPrepare) {
    on_prepare(ctx, from, m.body());
  } else if (m.type() == msg::kDecision) {
    on_decision(ctx, from, m.body());
  } else if (m.type() == msg::kPeerInquire) {
    on_peer_inquire(ctx, from, m.body());
  } else if (m.type() == msg::kPeerAnswer) {
    on_peer_answer(ctx, m.body());
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
  ctx.trace("vote", json_object("tx", tx.id, "vote", "yes", "forced", false));
}

void TwoPhaseParticipant::vote(Context& ctx, NodeId to, Tx& tx, const char* vote, bool forced) {
  send(ctx, to, msg::kVote, tx, json_object("vote", vote));
  ctx.trace("vote", json_object("tx", tx.id, "vote", vote, "forced", forced));
}

void TwoPhaseParticipant::on_prepare(Context& ctx, NodeId from, const Json& body) {
  PrepareCheck c = take_prepare(ctx, from, body);
  if (c.answer != nullptr) {
    if (c.fresh) {
      vote(ctx, from, *c.tx, c.answer, false);
    } else {
      send(ctx, from, msg::kVote, *c.tx, json_object("vote", c.answer));
    }
    return;
  }
  if (settings().rules.read_only_optimization && !ops_write(c.tx->ops)) {
    finish_read_only(ctx, *c.tx);
    vote(ctx, from, *c.tx, "read_only", false);
    return;
  }
  become_prepared(ctx, *c.tx);
}

void TwoPhaseParticipant::become_prepared(Context& ctx, Tx& tx) {
  stop_waiting(ctx, tx);
  bool forced = log_prepared(ctx, tx);
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  vote(ctx, tx.coordinator, tx, "yes", forced);
  if (settings().rules.timeouts) wait(ctx, tx, settings().timing.decision_timeout, "decision_wait");
  if (settings().mistakes.heuristic_abort_after) {
    tx.heuristic_timer =
        ctx.set_timer(*settings().mistakes.heuristic_abort_after, "heuristic", handles_.handle_of(tx.id));
  }
}

void TwoPhaseParticipant::on_decision(Context& ctx, NodeId from, const Json& body) {
  const std::string id = body.at("tx").get<std::string>();
  Outcome outcome = *outcome_from(body.at("outcome").get<std::string>());
  Tx* tx = find(id);
  if (tx == nullptr) {
    // Never heard of it, or forgot it in a crash (nothing was logged).
    ctx.trace("unknown_decision", json_object("tx", id, "outcome", to_string(outcome)));
    if (outcome == Outcome::kAbort) remember_abort(ctx, id, false);
    if (acks(outcome)) ctx.send(from, msg::about(msg::kAck, id, msg::hops_of(body) + 1, 0));
    return;
  }
  if (tx->state == State::kReadOnly) return;
  bool was_prepared = tx->state == State::kPrepared || tx->state == State::kPreCommitted;
  if (is_final(*tx)) {
    Outcome had = tx->state == State::kCommitted ? Outcome::kCommit : Outcome::kAbort;
    if (had != outcome) {
      ctx.trace("conflicting_decision",
                json_object("tx", id, "had", to_string(had), "got", to_string(outcome)));
    }
    if (acks(outcome)) send(ctx, from, msg::kAck, *tx);
    return;
  }
  finish(ctx, *tx, outcome, "coordinator", msg::hops_of(body), msg::forces_of(body));
  if (was_prepared && acks(outcome)) send(ctx, from, msg::kAck, *tx);
}

void TwoPhaseParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (tx.state != State::kPrepared) return;
  if (t.kind == "decision_wait") {
    ask(ctx, tx);
    wait(ctx, tx, settings().timing.retry_interval, "decision_wait");
  } else if (t.kind == "heuristic") {
    tx.heuristic_timer = 0;
    finish(ctx, tx, Outcome::kAbort, "heuristic", tx.hops, tx.forces, /*heuristic=*/true);
  }
}

void TwoPhaseParticipant::ask(Context& ctx, Tx& tx) {
  Json to = Json::array();
  send(ctx, tx.coordinator, msg::kInquire, tx);
  to.push_back(ctx.cluster().name(tx.coordinator));
  if (settings().cooperative_termination) {
    for (NodeId peer : tx.participants) {
      if (peer == ctx.self()) continue;
      send(ctx, peer, msg::kPeerInquire, tx);
      to.push_back(ctx.cluster().name(peer));
    }
  }
  ctx.trace("inquire", json_object("tx", tx.id, "to", to));
}

void TwoPhaseParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) {
  if (!settings().rules.timeouts) return;
  ask(ctx, tx);
  wait(ctx, tx, settings().timing.retry_interval, "decision_wait");
  if (settings().mistakes.heuristic_abort_after) {
    tx.heuristic_timer =
        ctx.set_timer(*settings().mistakes.heuristic_abort_after, "heuristic", handles_.handle_of(tx.id));
  }
}

void TwoPhaseParticipant::on_peer_inquire(Context& ctx, NodeId from, const Json& body) {
  const std::string id = body.at("tx").get<std::string>();
  Tx* tx = find(id);
  const char* state = "uncertain";
  if (tx != nullptr) {
    if (tx->state == State::kWorking || tx->state == State::kExecuted) {
      // Not yet voted: it may still say no, and does, so the asker can abort.
      finish(ctx, *tx, Outcome::kAbort, "peer_inquire", tx->hops, tx->forces);
    }
    if (tx->state == State::kCommitted) state = msg::kCommit;
    if (tx->state == State::kAborted) state = msg::kAbort;
  }
  int64_t hops = msg::hops_of(body) + 1;
  int64_t forces = tx != nullptr ? std::max(tx->forces, msg::forces_of(body)) : msg::forces_of(body);
  ctx.send(from, msg::about(msg::kPeerAnswer, id, hops, forces, json_object("state", state)));
}

void TwoPhaseParticipant::on_peer_answer(Context& ctx, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  auto outcome = outcome_from(body.at("state").get<std::string>());
  if (tx == nullptr || tx->state != State::kPrepared || !outcome) return;
  finish(ctx, *tx, *outcome, "peer", msg::hops_of(body), msg::forces_of(body));
}

}  // namespace dsim::twopc
