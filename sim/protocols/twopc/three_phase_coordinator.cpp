#include "protocols/twopc/three_phase_coordinator.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void ThreePhaseCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  tx.hops = 1;
  tx.forces = 0;
  Json participants = names(ctx, tx.participants);
  for (NodeId p : tx.participants) {
    send(ctx, p, msg::kPrepare, tx, json_object("epoch", tx.epochs[p],
                                                "participants", participants));
  }
}

void ThreePhaseCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kVote) on_vote(ctx, from, m.body());
  if (m.type() == msg::kPreCommitAck) on_pre_commit_ack(ctx, from, m.body());
}

void ThreePhaseCoordinator::on_vote(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr || tx->phase != Phase::kVoting || tx->votes.count(from) != 0) return;
  if (std::find(tx->participants.begin(), tx->participants.end(), from) == tx->participants.end()) return;
  std::string vote = body.at("vote").get<std::string>();
  tx->votes[from] = vote;
  tx->hops = std::max(tx->hops, msg::hops_of(body));
  tx->forces = std::max(tx->forces, msg::forces_of(body));
  if (vote != "yes") {
    decide(ctx, *tx, Outcome::kAbort, "votes");
    return;
  }
  if (tx->votes.size() < tx->participants.size()) return;
  tx->phase = Phase::kPreCommitting;
  ++tx->hops;
  for (NodeId p : tx->participants) send(ctx, p, msg::kPreCommit, *tx);
  wait(ctx, *tx, settings().timing.ack_timeout, "ack_timeout");
}

void ThreePhaseCoordinator::on_pre_commit_ack(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr || tx->phase != Phase::kPreCommitting) return;
  tx->acked.insert(from);
  tx->hops = std::max(tx->hops, msg::hops_of(body));
  tx->forces = std::max(tx->forces, msg::forces_of(body));
  if (tx->acked.size() == tx->participants.size()) decide(ctx, *tx, Outcome::kCommit, "acks");
}

void ThreePhaseCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.kind == "ack_timeout" && tx != nullptr && tx->phase == Phase::kPreCommitting) {
    decide(ctx, *tx, Outcome::kCommit, "ack_timeout");
  }
}

void ThreePhaseCoordinator::on_vote_timeout(Context& ctx, Tx& tx) { decide(ctx, tx, Outcome::kAbort, "timeout"); }

void ThreePhaseCoordinator::decide(Context& ctx, Tx& tx, Outcome outcome, const std::string& via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = outcome;
  std::vector<NodeId> to;
  for (NodeId p : tx.participants) {
    auto v = tx.votes.find(p);
    if (outcome == Outcome::kCommit || v == tx.votes.end() || v->second != "no") to.push_back(p);
  }
  announce(ctx, tx, to, via);
  tell_client(ctx, tx);
  forget(ctx, tx);
}

}  // namespace dsim::twopc
