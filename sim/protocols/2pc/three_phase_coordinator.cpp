#include "protocols/2pc/three_phase_coordinator.h"

#include <algorithm>

#include "protocols/2pc/messages.h"

namespace dsim::twopc {

void ThreePhaseCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  tx.hops = 1;
  tx.forces = 0;
  for (NodeId p : tx.participants()) {
    msg::Prepare m;
    static_cast<msg::TxMessage&>(m) = about(tx);
    m.epoch = tx.epochs[p];
    m.plan = plan_of(tx);
    ctx.send(p, std::move(m));
  }
}

void ThreePhaseCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* vote = m.as<msg::Vote>()) on_vote(ctx, from, *vote);
  if (const auto* ack = m.as<msg::PreCommitAck>()) on_pre_commit_ack(ctx, from, *ack);
}

void ThreePhaseCoordinator::on_vote(Context& ctx, NodeId from, const msg::Vote& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->phase != Phase::kVoting || tx->votes.count(from) != 0) return;
  if (std::find(tx->participants().begin(), tx->participants().end(), from) == tx->participants().end()) return;
  tx->votes[from] = m.vote;
  tx->hops = std::max(tx->hops, m.hops);
  tx->forces = std::max(tx->forces, m.forces);
  if (m.vote != VoteValue::kYes) {
    decide(ctx, *tx, Outcome::kAbort, "votes");
    return;
  }
  if (tx->votes.size() < tx->participants().size()) return;
  tx->phase = Phase::kPreCommitting;
  ++tx->hops;
  for (NodeId p : tx->participants()) ctx.send(p, msg::PreCommit{about(*tx)});
  wait(ctx, *tx, settings().timing.ack_timeout, TxTimer::kAckTimeout);
}

void ThreePhaseCoordinator::on_pre_commit_ack(Context& ctx, NodeId from, const msg::PreCommitAck& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->phase != Phase::kPreCommitting) return;
  tx->acked.insert(from);
  tx->hops = std::max(tx->hops, m.hops);
  tx->forces = std::max(tx->forces, m.forces);
  if (tx->acked.size() == tx->participants().size()) decide(ctx, *tx, Outcome::kCommit, "acks");
}

void ThreePhaseCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.is(TxTimer::kAckTimeout) && tx != nullptr && tx->phase == Phase::kPreCommitting) {
    decide(ctx, *tx, Outcome::kCommit, "ack_timeout");
  }
}

void ThreePhaseCoordinator::on_vote_timeout(Context& ctx, Tx& tx) { decide(ctx, tx, Outcome::kAbort, "timeout"); }

void ThreePhaseCoordinator::decide(Context& ctx, Tx& tx, Outcome outcome, std::string_view via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = outcome;
  std::vector<NodeId> to;
  for (NodeId p : tx.participants()) {
    auto v = tx.votes.find(p);
    if (outcome == Outcome::kCommit || v == tx.votes.end() || v->second != VoteValue::kNo) to.push_back(p);
  }
  announce(ctx, tx, to, via);
  tell_client(ctx, tx);
  forget(ctx, tx);
}

}  // namespace dsim::twopc
