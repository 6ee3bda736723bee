// The 2PC coordinator's forced writes when the disk fails them (disk_errors.h): a
// decision is announced, and PREPARE sent after a COLLECTING record, only once the record
// is durable. Until then the write waits here and is retried every log_retry_interval:
// appended again if the disk refused it, synced again until the disk says it is durable.
// Meanwhile the client and any participant that asks stay in doubt.
#include "protocols/2pc/disk_errors.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/two_phase_coordinator.h"

namespace dsim::twopc {

DiskStatus TwoPhaseCoordinator::append_record(Context& ctx, Tx& tx, Forced what) {
  if (what == Forced::kCollecting) {
    return ctx.storage().append("wal", rec::Collecting{tx.id, tx.participants(), &ctx.cluster()});
  }
  // The record's type names the outcome.
  rec::DecisionFields fields{tx.id, tx.targets, &ctx.cluster()};
  if (*tx.decision == Outcome::kCommit) return ctx.storage().append("wal", rec::CommitDecision{std::move(fields)});
  return ctx.storage().append("wal", rec::AbortDecision{std::move(fields)});
}

namespace {
std::string_view record_name(const CoordinatorBase::Tx& tx, bool collecting) {
  if (collecting) return rec::Collecting::kName;
  return *tx.decision == Outcome::kCommit ? rec::CommitDecision::kName : rec::AbortDecision::kName;
}
}  // namespace

bool TwoPhaseCoordinator::make_durable(Context& ctx, Tx& tx, Forced what, DiskStatus appended,
                                       std::string_view via) {
  DiskStatus s = appended == DiskStatus::kOk ? ctx.storage().sync() : appended;
  if (s == DiskStatus::kOk) return true;
  std::string_view op = appended == DiskStatus::kOk ? "sync" : "write";
  std::string_view rec = record_name(tx, what == Forced::kCollecting);
  if (settings().mistakes.coordinator_ignores_log_errors) {
    // The mistake: the error is logged and the protocol carries on as if durable.
    ctx.trace(ev::LogError{tx.id, rec, op, s, /*ignored=*/true});
    return true;
  }
  ctx.trace(ev::LogError{tx.id, rec, op, s, false});
  PendingForce p;
  p.tx = tx.id;
  p.what = what;
  p.appended = appended == DiskStatus::kOk;
  p.mark = ctx.storage().write_mark();
  p.via = std::string(via);
  pending_forces_.push_back(std::move(p));
  if (what == Forced::kDecision) tx.awaiting_log = true;
  if (log_retry_timer_ == 0) {
    log_retry_timer_ = ctx.set_timer(settings().timing.log_retry_interval, TxTimer::kLogRetry, 0);
  }
  return false;
}

void TwoPhaseCoordinator::retry_forces(Context& ctx) {
  log_retry_timer_ = 0;
  DurableStore& disk = ctx.storage();
  bool sync = false;
  for (PendingForce& p : pending_forces_) {
    Tx* tx = find(p.tx);
    if (tx == nullptr) continue;
    if (!p.appended && append_record(ctx, *tx, p.what) == DiskStatus::kOk) {
      p.appended = true;
      p.mark = disk.write_mark();
    }
    sync = sync || (p.appended && !disk.durable(p.mark));
  }
  // One sync covers every record appended so far; a slow or hung one finishes later,
  // and durable() tells when.
  if (sync) disk.sync();
  std::vector<PendingForce> pending;
  pending.swap(pending_forces_);
  std::vector<PendingForce> done;
  for (PendingForce& p : pending) {
    if (find(p.tx) == nullptr) continue;
    if (p.appended && disk.durable(p.mark)) {
      done.push_back(std::move(p));
    } else {
      pending_forces_.push_back(std::move(p));
    }
  }
  for (const PendingForce& p : done) {
    if (Tx* tx = find(p.tx)) finish_forced(ctx, *tx, p.what, p.via);
  }
  if (!pending_forces_.empty() && log_retry_timer_ == 0) {
    log_retry_timer_ = ctx.set_timer(settings().timing.log_retry_interval, TxTimer::kLogRetry, 0);
  }
}

void TwoPhaseCoordinator::finish_forced(Context& ctx, Tx& tx, Forced what, std::string_view via) {
  if (what == Forced::kCollecting) {
    trace_log(ctx, tx.id, rec::Collecting::kName, true);
    if (tx.phase != Phase::kVoting || tx.decision) return;  // aborted by the vote timeout meanwhile
    tx.forces = 1;
    send_prepares(ctx, tx);
    return;
  }
  tx.awaiting_log = false;
  trace_log(ctx, tx.id, to_string(*tx.decision), true);
  ++tx.forces;
  announce_decision(ctx, tx, via);
}

}  // namespace dsim::twopc
