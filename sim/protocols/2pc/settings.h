// Everything a 2PC scenario configures: the variant and its logging rules (who forces
// which record, who acknowledges what), the timeouts, the known mistakes a scenario can
// switch on, and the bank workload. Read once per scenario; processes copy it.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/time.h"
#include "protocols/2pc/bank.h"
#include "scenario/config_reader.h"
#include "scenario/protocol_family.h"
#include "scenario/setting_table.h"

namespace dsim::twopc {

enum class Variant { kSeed, kBasic, kPresumedAbort, kPresumedCommit, kThreePhase, kPaxosCommit };

const std::vector<std::string>& variant_names();  // in Variant order; "seed" first
const char* to_string(Variant v);

// What a coordinator with no record of a transaction answers when asked about it.
enum class Presumption { kNone, kAbort, kCommit };
const char* to_string(Presumption p);

// The logging and acknowledgement rules of Mohan, Lindsay & Obermarck (1986), per variant.
// A forced write is a log append followed by DurableStore::sync().
struct CommitRules {
  bool participant_logs = true;        // seed: nothing is ever written
  bool coordinator_logs = true;
  bool collecting_record = false;      // PC: force the participant list before PREPARE
  bool log_coordinator_abort = true;   // PA writes no abort record at all
  bool force_coordinator_abort = true;
  bool commit_acks = true;             // basic, PA: COMMIT is acknowledged, then END
  bool abort_acks = true;              // basic, PC: ABORT is acknowledged, then END
  bool force_participant_commit = true;
  bool force_participant_abort = true;
  bool read_only_optimization = false;  // PA, PC: a reader votes READ-ONLY and forgets
  bool timeouts = true;                 // seed: nobody ever times out or asks
  Presumption presumption = Presumption::kAbort;
};

CommitRules rules_for(Variant v);

// Known mistakes, each re-creating a real failure. All off by default.
struct Mistakes {
  // The participant votes yes with its PREPARED state only in memory (MySQL bug #12161).
  bool participant_prepare_unlogged = false;
  // The coordinator sends its decision before the decision record is durable: the record
  // is flushed by a group-commit timer `lazy_flush_delay` later.
  bool coordinator_lazy_decision_log = false;
  Duration lazy_flush_delay = Duration::millis(50);
  // A prepared participant that hears nothing for this long aborts on its own.
  std::optional<Duration> heuristic_abort_after;
  // Presumed commit without the collecting record.
  bool coordinator_skip_collecting = false;
  // Presumed abort: the coordinator forgets a committed transaction before all acks.
  bool coordinator_forget_before_acks = false;
  // A participant told to abort a transaction it has not started (an "empty rollback")
  // remembers nothing, so the late execution request opens the branch anyway.
  bool participant_forget_unknown_abort = false;
  // An executed branch waits for PREPARE without a bound (no work_timeout).
  bool participant_no_branch_timeout = false;
  // The recovery manager presumes abort for a prepared branch whose coordinator has no
  // log record yet, at first sight, ignoring the orphan-safety interval.
  bool recovery_presumes_abort_in_flight = false;
  // The coordinator announces a decision whose forced write failed (kIoError) or has not
  // finished (a slow or hung sync), as if it were durable (Seata #3558).
  bool coordinator_ignores_log_errors = false;
  // The coordinator sends a decision once and never again (no re-send timer, none after
  // a restart)...
  bool coordinator_never_resends = false;
  // ... and a prepared participant never asks about it (no decision timeout, no inquiry
  // after a restart): a lost decision leaves the branch prepared, holding its locks.
  bool participant_never_inquires = false;
  // Recovery reads the write-ahead log without record checksums: a record a crash left
  // half written (storage.torn_write) is decoded as if whole, its lost tail read as zeros.
  bool participant_no_record_checksums = false;
};

struct Timing {
  Duration work_time = Duration::millis(1);          // a participant executes its part
  Duration work_timeout = Duration::seconds(1);      // executed, never asked to prepare
  Duration vote_timeout = Duration::millis(500);     // coordinator: execution + votes
  Duration decision_timeout = Duration::millis(200); // prepared participant starts asking
  Duration retry_interval = Duration::millis(200);   // ... and asks again this often
  Duration resend_interval = Duration::millis(200);  // coordinator re-sends unacked decisions
  Duration ack_timeout = Duration::millis(200);      // 3PC: pre-commit acks
  Duration termination_wait = Duration::millis(50);  // 3PC: collect peers' states
  Duration liveness_bound = Duration::seconds(3);    // decided this long after faults end
  Duration recovery_scan_interval = Duration::millis(500);  // recovery role: ask participants
  Duration orphan_safety_interval = Duration::seconds(2);   // ... resolve only branches this old
  Duration log_retry_interval = Duration::millis(20);  // a failed or unfinished forced write is tried again
};

struct ScriptedTx {
  Duration at;
  std::string client;  // empty: the first client
  enum class Kind { kTransfer, kAudit, kDouble } kind = Kind::kTransfer;
  std::string from;             // transfer: debited amount * to.size()
  std::vector<std::string> to;  // transfer: each credited amount
  int64_t amount = 0;
  std::string participant;  // double: who doubles
  int64_t value = 0;
};

struct RandomWorkload {
  Duration interval = Duration::millis(50);  // mean gap between a client's transactions
  Duration start = Duration::millis(10);
  Duration stop = Duration::max();
  int64_t amount_max = 20;
  int64_t participants_per_transfer = 2;  // one debit, the rest credits
  double audit_fraction = 0.1;
};

struct Workload {
  int64_t accounts = 8;
  int64_t initial_balance = 100;
  Duration client_timeout = Duration::seconds(2);
  std::vector<ScriptedTx> script;
  std::optional<RandomWorkload> random;
};

// Replicated participants (replication.h): each participant is the primary of a group
// with one replica (role "replica"; the k-th replica serves the k-th participant). The
// group is named by its primary's node; checks judge the group, not a node.
struct Replication {
  bool enabled = false;      // the scenario has replica nodes
  bool synchronous = true;   // "sync": no message leaves before its log records are on the replica
  Duration interval = Duration::millis(20);        // heartbeat; async: the shipping batch
  Duration lease = Duration::millis(150);          // the primary serves this long after an ack
  Duration failover_after = Duration::millis(300); // the replica promotes itself after silence
  std::vector<NodeId> replicas;  // replicas[k] replicates participants[k]
  std::vector<NodeId> group_by_index;  // participants[k], the group's name
  // The group a node serves in (its participant); the node itself when it is no replica.
  NodeId group_of(NodeId node) const;
  NodeId replica_of(NodeId participant) const;  // kNoNode when none
};

struct Settings {
  Variant variant = Variant::kBasic;
  CommitRules rules;
  bool cooperative_termination = false;
  // Every abort of a branch never prepared (an empty rollback included) is a forced abort
  // record, so a late or repeated execution request is refused even after a restart.
  bool branch_fence = false;
  Timing timing;
  Mistakes mistakes;
  Workload workload;
  AccountLayout layout;
  std::vector<NodeId> coordinators, participants, clients, acceptors;
  std::vector<NodeId> recoveries;  // nodes of role "recovery" (recovery_manager.h)
  size_t acceptor_quorum = 0;  // F+1 of 2F+1
  Replication replication;

  // About how many transactions a run asks for (the script's, plus the random workload's
  // expected count while it runs), at most kMaxExpectedTransactions: what the roles
  // reserve room for up front, so their tables do not grow step by step. A hint only.
  static constexpr size_t kMaxExpectedTransactions = 4096;
  size_t expected_transactions() const {
    double n = static_cast<double>(workload.script.size());
    if (workload.random && workload.random->interval.ns > 0) {
      const RandomWorkload& r = *workload.random;
      // An unbounded random workload: room for a few seconds' worth.
      int64_t span = r.stop == Duration::max() ? Duration::seconds(5).ns : r.stop.ns - r.start.ns;
      if (span > 0) n += static_cast<double>(clients.size()) * static_cast<double>(span) / static_cast<double>(r.interval.ns);
    }
    return static_cast<size_t>(std::min(n, static_cast<double>(kMaxExpectedTransactions)));
  }
};

// Every "protocol" and "workload" setting, nested ones included; the defaults are those
// of the structs above.
const SettingTable& setting_table();
// The roles of the nodes ("coordinator", "replica", ...) and the variants each applies to.
const std::vector<RoleRow>& role_table();

// Reads the "protocol" and "workload" sections; throws ScenarioError on bad input.
// `checks`: the checks the run runs (a check's bound is refused without them); null when
// not known (a unit test's reader): every check counts as running.
Settings read_settings(const std::string& variant, ConfigReader& protocol, ConfigReader& workload,
                       const Cluster& cluster, Duration duration, const std::vector<std::string>* checks = nullptr);

}  // namespace dsim::twopc
