#include "protocols/2pc/recovery_manager.h"

#include "protocols/2pc/records.h"

namespace dsim::twopc {

void RecoveryManager::on_start(Context& ctx) {
  ctx.set_timer(s_->timing.recovery_scan_interval, RecoveryTimer::kScan);
}

void RecoveryManager::on_timer(Context& ctx, const Timer& t) {
  if (!t.is(RecoveryTimer::kScan)) return;
  ++scan_;
  for (NodeId p : s_->participants) ctx.send(p, msg::RecoveryScan{});
  ctx.set_timer(s_->timing.recovery_scan_interval, RecoveryTimer::kScan);
}

void RecoveryManager::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* b = m.as<msg::PreparedBranches>()) {
    on_prepared_branches(ctx, from, *b);
  } else if (const auto* a = m.as<msg::LogAnswer>()) {
    on_log_answer(ctx, *a);
  }
}

Duration RecoveryManager::age(const Branch& b) const {
  return s_->timing.recovery_scan_interval * (scan_ - b.first_scan);
}

bool RecoveryManager::old_enough(const Branch& b) const {
  // The mistake: no safety interval, a branch without a record is an orphan at first sight.
  return s_->mistakes.recovery_presumes_abort_in_flight || age(b) >= s_->timing.orphan_safety_interval;
}

void RecoveryManager::on_prepared_branches(Context& ctx, NodeId from, const msg::PreparedBranches& m) {
  // The answer replaces what it knew of this participant: a branch no longer listed is
  // decided (or forgotten) there.
  std::map<std::pair<NodeId, TxId>, Branch, NodeTxLess> kept;
  for (const auto& [tx, coordinator] : m.branches) {
    auto key = std::make_pair(from, tx);
    auto it = branches_.find(key);
    kept[key] = it != branches_.end() ? it->second : Branch{coordinator, scan_};
  }
  for (auto it = branches_.begin(); it != branches_.end();) {
    it = it->first.first == from ? branches_.erase(it) : std::next(it);
  }
  branches_.merge(kept);
  for (const auto& [key, b] : branches_) {
    if (key.first != from || !old_enough(b)) continue;
    auto q = queried_.find(key.second);
    if (q != queried_.end() && q->second == scan_) continue;  // asked already this scan
    queried_[key.second] = scan_;
    ctx.send(b.coordinator, msg::LogQuery{key.second});
  }
}

void RecoveryManager::on_log_answer(Context& ctx, const msg::LogAnswer& m) {
  queried_.erase(m.tx);
  Outcome outcome = m.record == msg::LogRecord::kCommit ? Outcome::kCommit : Outcome::kAbort;
  bool presumed = m.record == msg::LogRecord::kNone;
  for (const auto& [key, b] : branches_) {
    if (key.second != m.tx || !old_enough(b)) continue;
    ctx.send(key.first, msg::RecoveryResolve{m.tx, outcome, presumed});
    ctx.trace(ev::RecoveryResolved{m.tx, key.first, outcome, presumed, age(b).ns, &ctx.cluster()});
    // Kept, with its age: if the outcome is lost, the next scan lists it again and it is
    // resolved again at once; once applied, the next scan no longer lists it.
  }
}

void answer_log_query(Context& ctx, NodeId from, const msg::LogQuery& m) {
  msg::LogRecord record = msg::LogRecord::kNone;
  const RecordLog wal = ctx.storage().read_records("wal");
  for (size_t i = 0; i < wal.size(); ++i) {
    if (wal.torn(i)) continue;  // never synced: not a decision (on_recover drops it too)
    const Payload& r = wal[i];
    if (const auto* c = r.as<rec::CommitDecision>(); c != nullptr && c->tx == m.tx) {
      record = msg::LogRecord::kCommit;
    } else if (const auto* a = r.as<rec::AbortDecision>(); a != nullptr && a->tx == m.tx) {
      record = msg::LogRecord::kAbort;
    }
  }
  ctx.send(from, msg::LogAnswer{m.tx, record});
}

}  // namespace dsim::twopc
