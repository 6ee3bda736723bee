// What every participant of the family shares, whatever the commit protocol: its
// accounts and lock table, the execution phase (lock, check, work, answer), applying an
// outcome, its write-ahead log and recovery from it. The commit protocol itself (2PC,
// 3PC, Paxos Commit) is a subclass.
//
// The log ("wal") holds the records of records.h: open {balances} | prepared {tx,
// coordinator, participants, acceptors, ops} | precommit {tx} | commit {tx, deltas}
// | abort {tx}. Balances are never
// stored apart: recovery replays the commit records, so a crash can never leave a
// balance and its commit record out of step.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/payload.h"
#include "core/process.h"
#include "protocols/2pc/account_balances.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/recovery_messages.h"
#include "protocols/2pc/timers.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/tx_table.h"

namespace dsim::twopc {

class ParticipantBase : public Process {
 public:
  explicit ParticipantBase(std::shared_ptr<const Settings> settings);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  enum class State : uint8_t { kWorking, kExecuted, kPrepared, kPreCommitted, kCommitted, kAborted, kReadOnly };
  static const char* state_name(State s);

  static constexpr uint32_t kNoBranch = UINT32_MAX;
  static inline const std::vector<NodeId> kNoNodes;
  // A participant keeps every transaction it has heard of for its incarnation (a late
  // request must find the outcome), so the record is kept small: the 8-byte fields first,
  // the state and the flags packed at the end (104 bytes).
  struct Tx {
    TxId id;
    NodeId coordinator = kNoNode;
    uint32_t branch = kNoBranch;  // kNoBranch: its ops are not known (empty)
    // Who takes part and what this participant was asked: its branch of the coordinator's
    // shared plan (tx_plan.h), or a plan rebuilt from its log. No plan: none known, or no
    // longer needed (finish() lets a decided transaction's plan go).
    PlanRef plan;
    const std::vector<NodeId>& participants() const { return plan ? plan->participants : kNoNodes; }
    const std::vector<NodeId>& acceptors() const { return plan ? plan->acceptors : kNoNodes; }  // Paxos Commit only
    OpList ops() const { return plan && branch != kNoBranch ? plan->ops_of(branch) : OpList(); }
    int64_t hops = 0, forces = 0;  // causal counters of the latest message about it
    TimerId timer = 0;             // the one pending wait: work, decision, termination
    int64_t handle = 0;            // its timers' argument (tx_table.h); 0: none yet
    TimerId heuristic_timer = 0;
    // Disk faults (two_phase_participant_log.cpp): the write mark of PREPARED while it is
    // not durable yet (see `preparing`), and of the forced outcome record.
    uint64_t prepared_mark = 0;
    uint64_t outcome_mark = 0;
    State state = State::kWorking;
    bool logged_prepared = false;  // a PREPARED record exists (so an outcome is logged)
    bool locked = false;           // holds the locks lock_request() gives for its ops
    // PREPARED appended, not yet durable (its sync failed: sync again; or is slow or
    // hung: wait).
    bool preparing = false;
    bool prepared_sync_failed = false;
    bool outcome_unwritten = false;  // the forced outcome record: the disk refused it
  };

  // For tests and tools: the state of one transaction, if known.
  std::optional<State> state_of(const TxId& tx) const;
  // (For tests: transactions by their id's text.)
  std::optional<State> state_of(std::string_view tx) const;
  int64_t balance(const std::string& account) const;
  bool holds_locks(std::string_view tx) const;

 protected:
  virtual void on_protocol_message(Context& ctx, NodeId from, const Message& m) = 0;
  virtual void on_protocol_timer(Context& ctx, const Timer& t, Tx& tx) = 0;
  // After a restart, for each transaction the log says is prepared (or pre-committed).
  virtual void on_recovered_in_doubt(Context& ctx, Tx& tx) = 0;
  // The execution answer went out. The seed design counts it as the vote.
  virtual void on_executed(Context& ctx, Tx& tx);

  Tx* find(const TxId& id);
  const Settings& settings() const { return *s_; }
  bool is_final(const Tx& tx) const {
    return tx.state == State::kCommitted || tx.state == State::kAborted || tx.state == State::kReadOnly;
  }
  // The header of a message about `tx`: its id and causal counters.
  static msg::TxMessage about(const Tx& tx) { return msg::TxMessage{tx.id, tx.hops, tx.forces}; }
  // Arms the transaction's one wait timer (cancelling the previous one).
  void wait(Context& ctx, Tx& tx, Duration after, TxTimer kind);
  void stop_waiting(Context& ctx, Tx& tx);

  // Checks a PREPARE request. `answer` is null when the transaction has executed in this
  // incarnation and may now prepare; otherwise it is the vote to give (yes, no,
  // read_only) and `fresh` says whether this refusal is new (to be traced as a vote).
  struct PrepareCheck {
    Tx* tx = nullptr;
    std::optional<VoteValue> answer;
    bool fresh = false;
  };
  PrepareCheck take_prepare(Context& ctx, NodeId from, const msg::Prepare& m);
  // A decision for a participant that never acknowledges one: traces (and remembers the
  // abort of) a transaction it does not know, and a decision that contradicts the one it
  // already applied. Returns the transaction still waiting for `outcome`, else nullptr.
  Tx* awaiting_decision(Context& ctx, const TxId& id, Outcome outcome);
  // Writes PREPARED (forced) unless the mistake says to keep it in memory. Returns
  // whether a forced write happened.
  bool log_prepared(Context& ctx, Tx& tx);
  // The PREPARED record of `tx`: its branch of the shared plan, not a copy of it.
  static rec::Prepared prepared_record(Context& ctx, const Tx& tx);
  // Appends a record (one of records.h) and, when `force`, syncs. Traces it.
  // Returns what the disk said (a refused append is not synced).
  template <PayloadType R>
  DiskStatus log(Context& ctx, const TxId& tx, R record, bool force) {
    DiskStatus s = ctx.storage().append("wal", std::move(record));
    if (force && s == DiskStatus::kOk) s = ctx.storage().sync();
    trace_log(ctx, tx, R::kName, force);
    return s;
  }
  // Traces a vote.
  static void trace_vote(Context& ctx, const Tx& tx, VoteValue vote, bool forced);
  // Applies the outcome, logs it per the variant's rules, releases the locks, traces it.
  // `hops`/`forces` are those of the message that carried the decision.
  void finish(Context& ctx, Tx& tx, Outcome outcome, std::string_view via, int64_t hops,
              int64_t forces, bool heuristic = false);
  // A reader whose vote is READ-ONLY: drops its locks and forgets the outcome.
  void finish_read_only(Context& ctx, Tx& tx);
  // Remembers an abort for a transaction it never executed (or forgot), so a late request
  // for it is refused. `durable`: also force an abort record.
  Tx& remember_abort(Context& ctx, const TxId& id, bool durable);
  // An abort for a transaction it has not started (an "empty rollback", Seata's term):
  // remembered so the late execution request is refused — durably with branch_fence, not
  // at all with the participant_forget_unknown_abort mistake (participant_recovery.cpp).
  void remember_empty_rollback(Context& ctx, const TxId& id);
  // The recovery role (recovery_manager.h): lists the prepared branches to it, and applies
  // the outcome it resolved for one (participant_recovery.cpp).
  void answer_recovery_scan(Context& ctx, NodeId from);
  void on_recovery_resolve(Context& ctx, const msg::RecoveryResolve& m);
  std::vector<std::string> names(Context& ctx, const std::vector<NodeId>& nodes) const;
  // Disk faults (two_phase_participant_log.cpp). Appends PREPARED and forces it: kOk
  // (durable, or nothing to log), kIoError (the append was refused: nothing written) or
  // kInProgress (appended, not durable yet: tx.preparing is set).
  DiskStatus write_prepared(Context& ctx, Tx& tx);
  // Whether the forced outcome record is durable; if not, writes or syncs it again.
  bool outcome_durable(Context& ctx, Tx& tx);
  // Remembers how the forced outcome record's write went (called by finish()).
  void note_outcome_write(Context& ctx, Tx& tx, DiskStatus s, bool forced);
  // Recovery's reading of a torn record: with checksums, null (drop it); without, the
  // garbage it decodes to, kept in `garbage`.
  const Payload* read_torn(Context& ctx, const Payload& torn, std::optional<Payload>& garbage) const;

  // The argument of the transaction's timers.
  int64_t handle_of(Tx& tx) { return txs_.handle_of(tx); }

 private:
  static void trace_log(Context& ctx, const TxId& tx, std::string_view rec, bool force);
  void open_fresh(Context& ctx);
  void recover(Context& ctx);
  // The transaction a recovered record names (made on first mention).
  Tx& recovered(const TxId& id);
  void on_execute(Context& ctx, NodeId from, const msg::Execute& m);
  void on_work_done(Context& ctx, Tx& tx);
  // Why an Execute is refused (or kNone: it may work; its locks are then taken). Kept
  // apart from its text, which only a refusal needs.
  struct Refusal {
    enum class Kind { kNone, kNoAccount, kInsufficientFunds, kLocked } kind = Kind::kNone;
    std::string_view account;  // kInsufficientFunds (valid while the participant is)
    uint32_t foreign_account = 0;  // kNoAccount: its number
    TxId holder;               // kLocked
    std::string text() const;  // "" for kNone
  };
  Refusal refuse_reason(Context& ctx, OpList ops, Tx& tx);
  // The one place ops become locks: fills lock_request_ for `ops` (this participant's part
  // of a transaction). Execution takes those locks (refuse_reason), recovery takes them
  // again for a transaction in doubt (relock), and an outcome drops them (release_locks),
  // so the three cannot disagree. Returns the first op on an account that is not this
  // participant's (lock_request_ is then incomplete), else null.
  const Op* request_locks(Context& ctx, OpList ops);
  // Takes the locks of a transaction the log says is in doubt (its execution took them
  // before the crash, and they passed then).
  void relock(Context& ctx, Tx& tx);
  void release_locks(Context& ctx, Tx& tx);
  // Numbers the lock table's entries of this participant's accounts (entry_of_slot_).
  void number_lock_entries();

  std::shared_ptr<const Settings> s_;
  TxTable<Tx> txs_;  // looked up per message; walked only sorted
  AccountBalances balances_;
  LockTable locks_;
  std::vector<std::string> my_accounts_;
  // entry_of_slot_[k]: the lock table's entry of my_accounts_[k] (LockTable::entry_of).
  std::vector<uint32_t> entry_of_slot_;
  // request_locks's answer, kept to reuse its memory: the net change per written account
  // (sorted by lock entry, so in name order), and the locks to take, as entry numbers:
  // the written accounts exclusive (in name order), and for a read_all every other local
  // account shared (in account order).
  struct Change {
    uint32_t entry;
    uint32_t slot;  // in my_accounts_
    int64_t delta;
  };
  struct LockRequest {
    std::vector<Change> change;
    std::vector<uint32_t> exclusive, shared;
  };
  LockRequest lock_request_;
  std::vector<std::string> held_scratch_;  // on_execute's: the locks a Work event lists
  std::vector<uint32_t> held_entries_scratch_;  // ... by entry, to sort them into name order
  std::vector<std::pair<std::string, int64_t>> deltas_scratch_;  // finish()'s: the balance changes it applies
};

}  // namespace dsim::twopc
