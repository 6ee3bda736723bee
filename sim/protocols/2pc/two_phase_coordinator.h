// The coordinator of two-phase commit: the seed design, basic 2PC, presumed abort and
// presumed commit, each with its logging and acknowledgement rules (CommitRules), and
// the coordinator-side mistakes (lazy decision log, no collecting record, forgetting
// before the acks).
//
// Transitions:
//   executing: all executed -> voting (PC: COLLECTING forced first; seed: commit at once)
//   voting:    a NO vote or the vote timeout -> abort; every vote yes/read-only -> commit
//   decide:    log the decision (forced per rules), send it to who must hear it, answer
//              the client; then wait for acks (re-sending) or END at once
//   decided:   all acks -> END (not forced) and forget
//   INQUIRE:   a known decision, or the variant's presumption when it has no record
//   restart:   decisions without END are re-sent; PC's COLLECTING without a decision
//              becomes an abort
//   disk:      a forced record the disk refused or has not made durable holds back what
//              follows it (PREPARE, the decision) and is retried (two_phase_coordinator_log.cpp)
#pragma once

#include "protocols/2pc/coordinator_base.h"

namespace dsim::twopc {

class TwoPhaseCoordinator final : public CoordinatorBase {
 public:
  using CoordinatorBase::CoordinatorBase;

 protected:
  void start_commit(Context& ctx, Tx& tx) override;
  void on_protocol_message(Context& ctx, NodeId from, const Message& m) override;
  void on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) override;
  void on_vote_timeout(Context& ctx, Tx& tx) override;
  void on_recover(Context& ctx) override;

 private:
  void on_vote(Context& ctx, NodeId from, const msg::Vote& m);
  void on_ack(Context& ctx, NodeId from, const msg::Ack& m);
  void on_inquire(Context& ctx, NodeId from, const msg::Inquire& m);
  void decide(Context& ctx, Tx& tx, Outcome outcome, std::string_view via);
  // Returns whether the write was forced now.
  bool log_decision(Context& ctx, Tx& tx, std::string_view via);
  void await_acks_or_end(Context& ctx, Tx& tx);
  void resend(Context& ctx, Tx& tx);
  void end(Context& ctx, Tx& tx);
  // Appends a record (one of records.h) and, when `force`, syncs. Traces it.
  template <PayloadType R>
  void log(Context& ctx, const TxId& tx, R record, bool force) {
    ctx.storage().append("wal", std::move(record));
    if (force) ctx.storage().sync();
    trace_log(ctx, tx, R::kName, force);
  }
  static void trace_log(Context& ctx, const TxId& tx, std::string_view rec, bool force);

  // Forced writes the disk has not made durable (two_phase_coordinator_log.cpp).
  enum class Forced { kCollecting, kDecision };
  // Syncs after an append that returned `appended`. True when the record is durable (or
  // the mistake coordinator_ignores_log_errors pretends so); otherwise the write waits
  // in pending_forces_ and finish_forced runs once it is durable.
  bool make_durable(Context& ctx, Tx& tx, Forced what, DiskStatus appended, std::string_view via);
  DiskStatus append_record(Context& ctx, Tx& tx, Forced what);
  void retry_forces(Context& ctx);
  void finish_forced(Context& ctx, Tx& tx, Forced what, std::string_view via);
  void send_prepares(Context& ctx, Tx& tx);
  // The decision is durable: tell who must hear it, answer the client, wait for acks.
  void announce_decision(Context& ctx, Tx& tx, std::string_view via);
  struct PendingForce {
    TxId tx;
    Forced what;
    bool appended = false;  // the record is in the page cache (else append it again)
    uint64_t mark = 0;      // the write mark to wait for
    std::string via;        // how the decision was reached
  };
  std::vector<PendingForce> pending_forces_;  // in the order they were asked for
  TimerId log_retry_timer_ = 0;

  TimerId flush_timer_ = 0;  // the lazy decision log's pending group commit
};

}  // namespace dsim::twopc
