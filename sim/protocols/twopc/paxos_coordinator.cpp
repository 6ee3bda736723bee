#include "protocols/twopc/paxos_coordinator.h"

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void PaxosCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  tx.hops = 1;
  tx.forces = 0;
  std::vector<std::string> rms;
  for (NodeId p : tx.participants) rms.push_back(ctx.cluster().name(p));
  rounds_.insert_or_assign(tx.id, PaxosRound(tx.id, rms, settings().acceptors, settings().acceptor_quorum));
  Json participants = names(ctx, tx.participants);
  Json acceptors = names(ctx, settings().acceptors);
  for (NodeId p : tx.participants) {
    send(ctx, p, msg::kPrepare, tx,
         json_object("epoch", tx.epochs[p], "participants", participants, "acceptors", acceptors));
  }
}

void PaxosCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() != msg::kPhase1b && m.type() != msg::kPhase2b) return;
  std::string id = m.body().at("tx").get<std::string>();
  Tx* tx = find(id);
  auto it = rounds_.find(id);
  if (tx == nullptr || it == rounds_.end() || tx->phase != Phase::kVoting) return;
  if (m.type() == msg::kPhase1b) {
    it->second.on_p1b(ctx, from, m.body());
  } else {
    it->second.on_p2b(from, m.body());
  }
  check(ctx, *tx);
}

void PaxosCoordinator::on_vote_timeout(Context& ctx, Tx& tx) {
  rounds_.at(tx.id).start_ballot(ctx);
  wait(ctx, tx, settings().timing.retry_interval, "paxos_retry");
}

void PaxosCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.kind == "paxos_retry" && tx != nullptr && tx->phase == Phase::kVoting) on_vote_timeout(ctx, *tx);
}

void PaxosCoordinator::check(Context& ctx, Tx& tx) {
  auto it = rounds_.find(tx.id);
  std::optional<Outcome> outcome = it->second.outcome();
  if (!outcome) return;
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = *outcome;
  tx.hops = it->second.hops();
  tx.forces = it->second.forces();
  rounds_.erase(it);
  announce(ctx, tx, tx.participants, "acceptors");
  tell_client(ctx, tx);
  forget(ctx, tx);
}

}  // namespace dsim::twopc
