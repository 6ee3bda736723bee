// The participant's side of disk faults (disk_errors.h): PREPARED must be durable before
// a yes vote (a refused append makes the vote no; a failed, slow or hung sync is retried
// or waited for, with no vote meanwhile), an outcome record must be durable before its
// acknowledgement (the coordinator re-sends the decision meanwhile), and recovery drops a
// torn record, unless the mistake participant_no_record_checksums decodes it as garbage.
#include <algorithm>

#include "protocols/2pc/disk_errors.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/two_phase_participant.h"

namespace dsim::twopc {

// ------------------------------------------------------------------ ParticipantBase

DiskStatus ParticipantBase::write_prepared(Context& ctx, Tx& tx) {
  if (!s_->rules.participant_logs || s_->mistakes.participant_prepare_unlogged) return DiskStatus::kOk;
  DurableStore& disk = ctx.storage();
  uint64_t before = disk.write_mark();
  DiskStatus s = log(ctx, tx.id, prepared_record(ctx, tx), true);
  bool appended = disk.write_mark() != before;
  // Appended: an outcome record must follow it, should the vote still be no.
  tx.logged_prepared = appended;
  if (s == DiskStatus::kOk) return s;
  ctx.trace(ev::LogError{tx.id, rec::Prepared::kName, appended ? "sync" : "write", s, false});
  if (!appended) return s;
  // In the page cache, so a later sync or a crash's kept writes may yet make it durable:
  // voting no now could leave a PREPARED on the disk that the coordinator (not counting
  // a no voter among those who must hear the outcome) forgets about, and presumed commit
  // would then commit it. Stay silent instead: vote yes once it is durable, or hear the
  // coordinator's abort (a participant that never voted is told, and acknowledges).
  tx.preparing = true;
  tx.prepared_sync_failed = s == DiskStatus::kIoError;
  tx.prepared_mark = disk.write_mark();
  return DiskStatus::kInProgress;
}

void ParticipantBase::note_outcome_write(Context& ctx, Tx& tx, DiskStatus s, bool forced) {
  if (!forced) return;
  tx.outcome_unwritten = s == DiskStatus::kIoError;  // refused or not synced: write it again
  tx.outcome_mark = ctx.storage().write_mark();
  if (s != DiskStatus::kOk) ctx.trace(ev::LogError{tx.id, "outcome", "force", s, false});
}

namespace {
std::vector<std::pair<std::string, int64_t>> deltas_of(OpList ops) {
  std::vector<std::pair<std::string, int64_t>> deltas;
  for (const Op& op : ops) {
    if (op.kind != Op::Kind::kAdd) continue;
    char buf[24];
    const std::string_view name = account_name_in(op.account, buf);
    auto it = std::find_if(deltas.begin(), deltas.end(), [&](const auto& d) { return d.first == name; });
    if (it == deltas.end()) {
      deltas.emplace_back(name, op.amount);
    } else {
      it->second += op.amount;
    }
  }
  return deltas;
}
}  // namespace

bool ParticipantBase::outcome_durable(Context& ctx, Tx& tx) {
  DurableStore& disk = ctx.storage();
  if (tx.outcome_unwritten) {
    DiskStatus s = tx.state == State::kCommitted ? disk.append("wal", rec::Commit{tx.id, deltas_of(tx.ops())})
                                                 : disk.append("wal", rec::Abort{tx.id});
    if (s != DiskStatus::kOk) return false;
    tx.outcome_unwritten = false;
    tx.outcome_mark = disk.write_mark();
  }
  if (disk.durable(tx.outcome_mark)) return true;
  return disk.sync() == DiskStatus::kOk;  // else asked again on the next retry or decision
}

const Payload* ParticipantBase::read_torn(Context& ctx, const Payload& torn, std::optional<Payload>& garbage) const {
  bool checksums = !s_->mistakes.participant_no_record_checksums;
  ctx.trace(ev::TornRecord{torn.name(), record_tx(torn), checksums});
  if (checksums) return nullptr;
  garbage.emplace(decode_without_checksum(torn));
  return &*garbage;
}

// ------------------------------------------------------------- TwoPhaseParticipant

void TwoPhaseParticipant::refuse_unlogged(Context& ctx, Tx& tx) {
  tx.preparing = false;
  finish(ctx, tx, Outcome::kAbort, "log_error", tx.hops, tx.forces);
  vote(ctx, tx.coordinator, tx, VoteValue::kNo, false);
}

void TwoPhaseParticipant::on_log_retry(Context& ctx, Tx& tx) {
  if (tx.state == State::kExecuted && tx.preparing) {
    // A slow or hung sync finishes on its own (or never, if the node crashes first); a
    // failed one is tried again.
    DurableStore& disk = ctx.storage();
    if (tx.prepared_sync_failed && !disk.durable(tx.prepared_mark)) {
      tx.prepared_sync_failed = disk.sync() == DiskStatus::kIoError;
    }
    if (disk.durable(tx.prepared_mark)) {
      tx.preparing = false;
      vote_yes(ctx, tx, true);
    } else {
      wait(ctx, tx, settings().timing.log_retry_interval, TxTimer::kLogRetry);
    }
    return;
  }
  if (!is_final(tx) || tx.state == State::kReadOnly) return;
  Outcome outcome = tx.state == State::kCommitted ? Outcome::kCommit : Outcome::kAbort;
  if (!acks(outcome)) return;
  if (outcome_durable(ctx, tx)) {
    ctx.send(tx.coordinator, msg::Ack{about(tx)});
  } else {
    wait(ctx, tx, settings().timing.log_retry_interval, TxTimer::kLogRetry);
  }
}

}  // namespace dsim::twopc
