#include "protocols/twopc/paxos_participant.h"

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void PaxosParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kPrepare) {
    on_prepare(ctx, from, m.body());
  } else if (m.type() == msg::kDecision) {
    on_decision(ctx, from, m.body());
  } else if (m.type() == msg::kPhase1b || m.type() == msg::kPhase2b) {
    Tx* tx = find(m.body().at("tx").get<std::string>());
    auto it = rounds_.find(m.body().at("tx").get<std::string>());
    if (tx == nullptr || it == rounds_.end()) return;
    if (m.type() == msg::kPhase1b) {
      it->second.on_p1b(ctx, from, m.body());
    } else {
      it->second.on_p2b(from, m.body());
    }
    check_round(ctx, *tx);
  }
}

void PaxosParticipant::propose_own_vote(Context& ctx, Tx& tx, const char* value) {
  Json values = json_object(ctx.name(), value);
  for (NodeId a : tx.acceptors) {
    send(ctx, a, msg::kPhase2a,
         tx, json_object("ballot", 0,
                         "values", values,
                         "reply_to", ctx.cluster().name(tx.coordinator)));
  }
}

void PaxosParticipant::on_prepare(Context& ctx, NodeId from, const Json& body) {
  PrepareCheck c = take_prepare(ctx, from, body);
  if (c.answer != nullptr) {
    const char* value = std::string(c.answer) == "no" ? kAborted : kPrepared;
    propose_own_vote(ctx, *c.tx, value);
    if (c.fresh) ctx.trace("vote", json_object("tx", c.tx->id, "vote", c.answer, "forced", false));
    return;
  }
  Tx& tx = *c.tx;
  stop_waiting(ctx, tx);
  bool forced = log_prepared(ctx, tx);
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  propose_own_vote(ctx, tx, kPrepared);
  ctx.trace("vote", json_object("tx", tx.id, "vote", "yes", "forced", forced));
  wait(ctx, tx, settings().timing.decision_timeout, "decision_wait");
}

void PaxosParticipant::on_decision(Context& ctx, NodeId from, const Json& body) {
  std::string id = body.at("tx").get<std::string>();
  Outcome outcome = *outcome_from(body.at("outcome").get<std::string>());
  Tx* tx = awaiting_decision(ctx, id, outcome);
  if (tx == nullptr) return;
  rounds_.erase(id);
  std::string via = ctx.cluster().role(from) == "coordinator" ? "coordinator" : "peer";
  finish(ctx, *tx, outcome, via, msg::hops_of(body), msg::forces_of(body));
}

void PaxosParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (t.kind == "decision_wait" && tx.state == State::kPrepared) lead(ctx, tx);
}

void PaxosParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) { lead(ctx, tx); }

void PaxosParticipant::lead(Context& ctx, Tx& tx) {
  auto it = rounds_.find(tx.id);
  if (it == rounds_.end()) {
    it = rounds_.emplace(tx.id, PaxosRound(tx.id, names(ctx, tx.participants), tx.acceptors,
                                           settings().acceptor_quorum)).first;
  }
  it->second.start_ballot(ctx);
  ctx.trace("inquire", json_object("tx", tx.id,
                                   "to", Json(names(ctx, tx.acceptors)),
                                   "ballot", it->second.ballot()));
  wait(ctx, tx, settings().timing.retry_interval, "decision_wait");
}

void PaxosParticipant::check_round(Context& ctx, Tx& tx) {
  auto it = rounds_.find(tx.id);
  std::optional<Outcome> outcome = it->second.outcome();
  if (!outcome || tx.state != State::kPrepared) return;
  const char* o = to_string(*outcome);
  int64_t hops = it->second.hops() + 1;
  int64_t forces = it->second.forces();
  rounds_.erase(it);
  std::vector<NodeId> to;
  for (NodeId peer : tx.participants) {
    if (peer == ctx.self()) continue;
    ctx.send(peer, msg::about(msg::kDecision, tx.id, hops, forces, json_object("outcome", o)));
    to.push_back(peer);
  }
  ctx.trace("decision", json_object("tx", tx.id,
                                    "outcome", o,
                                    "via", "paxos_recovery",
                                    "to", Json(names(ctx, to))));
  finish(ctx, tx, *outcome, "paxos_recovery", hops, forces);
}

}  // namespace dsim::twopc
