#include "protocols/2pc/paxos_coordinator.h"

#include "protocols/2pc/messages.h"

namespace dsim::twopc {

void PaxosCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  tx.hops = 1;
  tx.forces = 0;
  std::vector<std::string> rms;
  for (NodeId p : tx.participants()) rms.push_back(ctx.cluster().name(p));
  rounds_.insert_or_assign(tx.id, PaxosRound(tx.id, rms, settings().acceptors, settings().acceptor_quorum));
  for (NodeId p : tx.participants()) {
    msg::Prepare m;
    static_cast<msg::TxMessage&>(m) = about(tx);
    m.epoch = tx.epochs[p];
    m.plan = plan_of(tx);
    ctx.send(p, std::move(m));
  }
}

void PaxosCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  const auto* p1b = m.as<msg::Phase1b>();
  const auto* p2b = m.as<msg::Phase2b>();
  if (p1b == nullptr && p2b == nullptr) return;
  const TxId& id = p1b != nullptr ? p1b->tx : p2b->tx;
  Tx* tx = find(id);
  auto it = rounds_.find(id);
  if (tx == nullptr || it == rounds_.end() || tx->phase != Phase::kVoting) return;
  if (p1b != nullptr) {
    it->second.on_p1b(ctx, from, *p1b);
  } else {
    it->second.on_p2b(from, *p2b);
  }
  check(ctx, *tx);
}

void PaxosCoordinator::on_vote_timeout(Context& ctx, Tx& tx) {
  rounds_.at(tx.id).start_ballot(ctx);
  wait(ctx, tx, settings().timing.retry_interval, TxTimer::kPaxosRetry);
}

void PaxosCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.is(TxTimer::kPaxosRetry) && tx != nullptr && tx->phase == Phase::kVoting) on_vote_timeout(ctx, *tx);
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
  announce(ctx, tx, tx.participants(), "acceptors");
  tell_client(ctx, tx);
  forget(ctx, tx);
}

}  // namespace dsim::twopc
