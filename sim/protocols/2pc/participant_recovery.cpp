// The participant's side of two defences added with issue 14: remembering an "empty
// rollback" (an abort for a transaction it has not started) so the late execution request
// is refused, and answering the recovery role (recovery_manager.h).
#include <algorithm>

#include "protocols/2pc/events.h"
#include "protocols/2pc/participant_base.h"
#include "protocols/2pc/records.h"

namespace dsim::twopc {

void ParticipantBase::remember_empty_rollback(Context& ctx, const TxId& id) {
  // The mistake: the rollback succeeds and leaves no trace, so the branch can still start.
  if (s_->mistakes.participant_forget_unknown_abort) return;
  // Seata's fence inserts a "suspended" row; here a forced abort record, which recovery
  // reads back as an aborted transaction.
  remember_abort(ctx, id, s_->branch_fence);
}

void ParticipantBase::answer_recovery_scan(Context& ctx, NodeId from) {
  msg::PreparedBranches reply;
  reply.cluster = &ctx.cluster();
  txs_.for_each([&](const Tx& tx) {
    if (tx.state == State::kPrepared) reply.branches.emplace_back(tx.id, tx.coordinator);
  });
  // txs_ is walked in no order: the reply goes in id order, as every walk of it must.
  std::sort(reply.branches.begin(), reply.branches.end(), [](const auto& x, const auto& y) {
    return TxId::text_less(x.first, y.first);  // ids are unique: the text decides
  });
  ctx.send(from, std::move(reply));
}

void ParticipantBase::on_recovery_resolve(Context& ctx, const msg::RecoveryResolve& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->state != State::kPrepared) {
    // Already decided meanwhile: say so if the recovery manager disagrees.
    if (tx != nullptr && is_final(*tx) && tx->state != State::kReadOnly) {
      Outcome had = tx->state == State::kCommitted ? Outcome::kCommit : Outcome::kAbort;
      if (had != m.outcome) ctx.trace(ev::ConflictingDecision{m.tx, had, m.outcome});
    }
    return;
  }
  finish(ctx, *tx, m.outcome, "recovery", tx->hops, tx->forces);
}

}  // namespace dsim::twopc
