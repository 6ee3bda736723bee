#include "protocols/twopc/three_phase_participant.h"

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void ThreePhaseParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kPrepare) {
    on_prepare(ctx, from, m.body());
  } else if (m.type() == msg::kPreCommit) {
    on_pre_commit(ctx, from, m.body());
  } else if (m.type() == msg::kDecision) {
    on_decision(ctx, from, m.body());
  } else if (m.type() == msg::kStateRequest) {
    on_state_request(ctx, from, m.body());
  } else if (m.type() == msg::kStateReply) {
    on_state_reply(ctx, from, m.body());
  }
}

void ThreePhaseParticipant::on_prepare(Context& ctx, NodeId from, const Json& body) {
  PrepareCheck c = take_prepare(ctx, from, body);
  if (c.answer != nullptr) {
    send(ctx, from, msg::kVote, *c.tx, json_object("vote", c.answer));
    if (c.fresh) ctx.trace("vote", json_object("tx", c.tx->id, "vote", c.answer, "forced", false));
    return;
  }
  Tx& tx = *c.tx;
  stop_waiting(ctx, tx);
  bool forced = log_prepared(ctx, tx);
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  send(ctx, from, msg::kVote, tx, json_object("vote", "yes"));
  ctx.trace("vote", json_object("tx", tx.id, "vote", "yes", "forced", forced));
  wait(ctx, tx, settings().timing.decision_timeout, "decision_wait");
}

void ThreePhaseParticipant::on_pre_commit(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr) return;
  if (tx->state == State::kPrepared) {
    tx->hops = msg::hops_of(body) + 1;
    tx->forces = msg::forces_of(body) + 1;
    log(ctx, tx->id, json_object("rec", "precommit", "tx", tx->id), true);
    tx->state = State::kPreCommitted;
    ctx.trace("precommit", json_object("tx", tx->id));
    wait(ctx, *tx, settings().timing.decision_timeout, "decision_wait");
  }
  if (tx->state == State::kPreCommitted) send(ctx, from, msg::kPreCommitAck, *tx);
}

void ThreePhaseParticipant::on_decision(Context& ctx, NodeId from, const Json& body) {
  std::string id = body.at("tx").get<std::string>();
  Outcome outcome = *outcome_from(body.at("outcome").get<std::string>());
  Tx* tx = awaiting_decision(ctx, id, outcome);
  if (tx == nullptr) return;
  replies_.erase(id);
  recovering_.erase(id);
  std::string via = ctx.cluster().role(from) == "coordinator" ? "coordinator" : "peer";
  finish(ctx, *tx, outcome, via, msg::hops_of(body), msg::forces_of(body));
}

void ThreePhaseParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (tx.state != State::kPrepared && tx.state != State::kPreCommitted) return;
  if (t.kind == "decision_wait") start_termination(ctx, tx);
  if (t.kind == "termination") conclude_termination(ctx, tx);
}

void ThreePhaseParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) {
  recovering_.insert(tx.id);
  start_termination(ctx, tx);
}

const char* ThreePhaseParticipant::termination_state(State s) {
  switch (s) {
    case State::kCommitted:
      return "committed";
    case State::kPreCommitted:
      return "precommitted";
    case State::kPrepared:
      return "uncertain";
    default:
      return "aborted";
  }
}

void ThreePhaseParticipant::start_termination(Context& ctx, Tx& tx) {
  replies_[tx.id].clear();
  Json to = Json::array();
  for (NodeId peer : tx.participants) {
    if (peer == ctx.self()) continue;
    send(ctx, peer, msg::kStateRequest, tx);
    to.push_back(ctx.cluster().name(peer));
  }
  ctx.trace("inquire", json_object("tx", tx.id, "to", to));
  wait(ctx, tx, settings().timing.termination_wait, "termination");
}

void ThreePhaseParticipant::on_state_request(Context& ctx, NodeId from, const Json& body) {
  std::string id = body.at("tx").get<std::string>();
  Tx* tx = find(id);
  if (tx == nullptr) {
    // Never voted: promise never to, durably, so the asker may abort.
    tx = &remember_abort(ctx, id, true);
  } else if (tx->state == State::kWorking || tx->state == State::kExecuted) {
    finish(ctx, *tx, Outcome::kAbort, "peer_inquire", tx->hops, tx->forces);
  }
  Json extra = json_object("state", termination_state(tx->state),
                           "recovering", recovering_.count(id) != 0);
  ctx.send(from, msg::about(msg::kStateReply, id, msg::hops_of(body) + 1, msg::forces_of(body), std::move(extra)));
}

void ThreePhaseParticipant::on_state_reply(Context& ctx, NodeId from, const Json& body) {
  auto it = replies_.find(body.at("tx").get<std::string>());
  if (it != replies_.end()) {
    it->second[from] = Reply{body.at("state").get<std::string>(), body.value("recovering", false)};
  }
}

void ThreePhaseParticipant::conclude_termination(Context& ctx, Tx& tx) {
  std::map<NodeId, Reply> states = std::move(replies_[tx.id]);
  replies_.erase(tx.id);
  states[ctx.self()] = Reply{termination_state(tx.state), recovering_.count(tx.id) != 0};
  bool any_commit = false, any_abort = false, any_precommit = false;
  NodeId leader = kNoNode;  // the lowest-numbered operational participant that answered
  for (const auto& [peer, reply] : states) {
    any_commit |= reply.state == "committed";
    any_abort |= reply.state == "aborted";
    any_precommit |= reply.state == "precommitted";
    if (!reply.recovering && leader == kNoNode) leader = peer;
  }
  // A peer's outcome is final: adopt it whoever leads. Otherwise only the leader decides;
  // the others wait for it, and ask again if it stays silent.
  if (!any_commit && !any_abort && leader != ctx.self()) {
    wait(ctx, tx, settings().timing.decision_timeout, "decision_wait");
    return;
  }
  Outcome outcome = any_commit || (!any_abort && any_precommit) ? Outcome::kCommit : Outcome::kAbort;
  const char* o = to_string(outcome);
  std::vector<NodeId> to;
  ++tx.hops;
  for (NodeId peer : tx.participants) {
    if (peer == ctx.self()) continue;
    send(ctx, peer, msg::kDecision, tx, json_object("outcome", o));
    to.push_back(peer);
  }
  ctx.trace("decision", json_object("tx", tx.id,
                                    "outcome", o,
                                    "via", "termination",
                                    "to", Json(names(ctx, to))));
  recovering_.erase(tx.id);
  finish(ctx, tx, outcome, "termination", tx.hops, tx.forces);
}

}  // namespace dsim::twopc
