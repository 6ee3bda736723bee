// The messages of the 2PC recovery role (recovery_manager.h), in the family's typed style
// (messages.h): a receiver dispatches with message.as<T>().
//
//   recovery -> participant  recovery_scan {}                      (XAResource.recover())
//   participant -> recovery  prepared_branches {branches: {tx: coordinator}}
//   recovery -> coordinator  log_query {tx}     (the coordinator's log, read for it)
//   coordinator -> recovery  log_answer {tx, record: commit | abort | none}
//   recovery -> participant  recovery_resolve {tx, outcome, presumed}
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc::msg {

// Which of your branches are prepared? (No body.)
struct RecoveryScan {
  static constexpr std::string_view kName = "recovery_scan";
  void write_fields(Json&) const {}
};

// The participant's prepared branches, in transaction id order, each with its coordinator.
struct PreparedBranches {
  static constexpr std::string_view kName = "prepared_branches";
  std::vector<std::pair<TxId, NodeId>> branches;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    Json b = Json::object();
    for (const auto& [tx, coordinator] : branches) b[tx.str()] = cluster->name(coordinator);
    out["branches"] = std::move(b);
  }
};

// What does the coordinator's log say about `tx`?
struct LogQuery {
  static constexpr std::string_view kName = "log_query";
  TxId tx;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

// What the log holds for a transaction: a decision record, or none.
enum class LogRecord { kCommit, kAbort, kNone };
inline const char* to_string(LogRecord r) {
  switch (r) {
    case LogRecord::kCommit:
      return "commit";
    case LogRecord::kAbort:
      return "abort";
    case LogRecord::kNone:
      return "none";
  }
  return "?";
}

struct LogAnswer {
  static constexpr std::string_view kName = "log_answer";
  TxId tx;
  LogRecord record = LogRecord::kNone;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["record"] = to_string(record);
  }
};

// The recovery manager's outcome for a prepared branch; `presumed`: no log record (abort).
struct RecoveryResolve {
  static constexpr std::string_view kName = "recovery_resolve";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  bool presumed = false;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["presumed"] = presumed;
  }
};

}  // namespace dsim::twopc::msg
