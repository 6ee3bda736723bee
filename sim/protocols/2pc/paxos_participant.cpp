#include "protocols/2pc/paxos_participant.h"

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc {

void PaxosParticipant::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* prepare = m.as<msg::Prepare>()) {
    on_prepare(ctx, from, *prepare);
  } else if (const auto* decision = m.as<msg::Decision>()) {
    on_decision(ctx, from, *decision);
  } else if (const auto* p1b = m.as<msg::Phase1b>()) {
    Tx* tx = find(p1b->tx);
    auto it = rounds_.find(p1b->tx);
    if (tx == nullptr || it == rounds_.end()) return;
    it->second.on_p1b(ctx, from, *p1b);
    check_round(ctx, *tx);
  } else if (const auto* p2b = m.as<msg::Phase2b>()) {
    Tx* tx = find(p2b->tx);
    auto it = rounds_.find(p2b->tx);
    if (tx == nullptr || it == rounds_.end()) return;
    it->second.on_p2b(from, *p2b);
    check_round(ctx, *tx);
  }
}

void PaxosParticipant::propose_own_vote(Context& ctx, Tx& tx, const char* value) {
  for (NodeId a : tx.acceptors()) {
    ctx.send(a, msg::Phase2a{about(tx), 0, {{ctx.name(), value}}, tx.coordinator, &ctx.cluster()});
  }
}

void PaxosParticipant::on_prepare(Context& ctx, NodeId from, const msg::Prepare& m) {
  PrepareCheck c = take_prepare(ctx, from, m);
  if (c.answer) {
    const char* value = *c.answer == VoteValue::kNo ? kAborted : kPrepared;
    propose_own_vote(ctx, *c.tx, value);
    if (c.fresh) trace_vote(ctx, *c.tx, *c.answer, false);
    return;
  }
  Tx& tx = *c.tx;
  stop_waiting(ctx, tx);
  bool forced = log_prepared(ctx, tx);
  if (forced) ++tx.forces;
  tx.state = State::kPrepared;
  propose_own_vote(ctx, tx, kPrepared);
  trace_vote(ctx, tx, VoteValue::kYes, forced);
  wait(ctx, tx, settings().timing.decision_timeout, TxTimer::kDecisionWait);
}

void PaxosParticipant::on_decision(Context& ctx, NodeId from, const msg::Decision& m) {
  const TxId& id = m.tx;
  Outcome outcome = m.outcome;
  Tx* tx = awaiting_decision(ctx, id, outcome);
  if (tx == nullptr) return;
  rounds_.erase(id);
  const char* via = ctx.cluster().role(from) == "coordinator" ? "coordinator" : "peer";
  finish(ctx, *tx, outcome, via, m.hops, m.forces);
}

void PaxosParticipant::on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) {
  if (t.is(TxTimer::kDecisionWait) && tx.state == State::kPrepared) lead(ctx, tx);
}

void PaxosParticipant::on_recovered_in_doubt(Context& ctx, Tx& tx) { lead(ctx, tx); }

void PaxosParticipant::lead(Context& ctx, Tx& tx) {
  auto it = rounds_.find(tx.id);
  if (it == rounds_.end()) {
    it = rounds_.emplace(tx.id, PaxosRound(tx.id, names(ctx, tx.participants()), tx.acceptors(),
                                           settings().acceptor_quorum)).first;
  }
  it->second.start_ballot(ctx);
  ctx.trace(ev::Inquired{tx.id, tx.acceptors(), it->second.ballot(), &ctx.cluster()});
  wait(ctx, tx, settings().timing.retry_interval, TxTimer::kDecisionWait);
}

void PaxosParticipant::check_round(Context& ctx, Tx& tx) {
  auto it = rounds_.find(tx.id);
  std::optional<Outcome> outcome = it->second.outcome();
  if (!outcome || tx.state != State::kPrepared) return;
  int64_t hops = it->second.hops() + 1;
  int64_t forces = it->second.forces();
  rounds_.erase(it);
  std::vector<NodeId> to;
  for (NodeId peer : tx.participants()) {
    if (peer == ctx.self()) continue;
    ctx.send(peer, msg::Decision{{tx.id, hops, forces}, *outcome});
    to.push_back(peer);
  }
  ctx.trace(ev::Decision{tx.id, *outcome, "paxos_recovery", to, false, 0, 0, &ctx.cluster()});
  finish(ctx, tx, *outcome, "paxos_recovery", hops, forces);
}

}  // namespace dsim::twopc
