// The disk records of the 2PC family, as the family's own types (DurableStore::append /
// put of a struct; read back with read_records / get_record and as<R>()): no JSON is
// built to write or to recover them. kName is the record's name, the "rec" a "log" trace
// event shows; write_fields gives the record's fields (for tools that dump a disk), in
// the order the JSON records had.
//
// Participant log "wal": open {balances} | prepared {tx, coordinator, participants,
//   acceptors, ops} (held as the shared plan and the participant's branch of it)
//   | precommit {tx} | commit {tx, deltas} | abort {tx}.
// Coordinator log "wal": collecting {tx, participants} | commit {tx, targets}
//   | abort {tx, targets} | end {tx}.
// Paxos acceptor, key "acc/<tx>/<rm>": {promised, ballot, value}.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/payload.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/tx_plan.h"

namespace dsim::twopc::rec {

inline Json node_names(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  Json out = Json::array();
  for (NodeId n : nodes) out.push_back(cluster.name(n));
  return out;
}

// ----------------------------------------------------------------- participant log

// First boot: the starting balances. Recovery replays the commit records on top of it.
struct Open {
  static constexpr std::string_view kName = "open";
  std::map<std::string, int64_t> balances;
  void write_fields(Json& out) const { out["balances"] = Json(balances); }
};

// The participant's promise: what it needs after a restart to finish the transaction.
// Who takes part and its own ops are its branch of the coordinator's shared plan
// (tx_plan.h), held, not copied: the plan never changes, so the record reads back as it
// was written. No plan (a torn record decoded without its checksum): nothing known.
struct Prepared {
  static constexpr std::string_view kName = "prepared";
  TxId tx;
  NodeId coordinator = kNoNode;
  uint32_t branch = kNoBranch;  // plan->ops_of(branch) is this participant's; kNoBranch: none
  PlanRef plan;
  const Cluster* cluster = nullptr;  // for names in write_fields
  static constexpr uint32_t kNoBranch = UINT32_MAX;
  static inline const std::vector<NodeId> kNoNodes;
  const std::vector<NodeId>& participants() const { return plan ? plan->participants : kNoNodes; }
  const std::vector<NodeId>& acceptors() const { return plan ? plan->acceptors : kNoNodes; }  // Paxos Commit only
  OpList ops() const { return plan && branch != kNoBranch ? plan->ops_of(branch) : OpList(); }
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["coordinator"] = cluster->name(coordinator);
    out["participants"] = node_names(*cluster, participants());
    out["acceptors"] = node_names(*cluster, acceptors());
    out["ops"] = ops_to_json(ops());
  }
};

// Held inline by the disk (core/payload.h): writing one copies no list.
static_assert(payload_detail::fits_inline<Prepared>);

struct PreCommit {
  static constexpr std::string_view kName = "precommit";
  TxId tx;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

// A commit applied: the balance changes it made, one entry per account.
struct Commit {
  static constexpr std::string_view kName = "commit";
  TxId tx;
  std::vector<std::pair<std::string, int64_t>> deltas;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    Json d = Json::object();
    for (const auto& [account, delta] : deltas) d[account] = delta;
    out["deltas"] = std::move(d);
  }
};

struct Abort {
  static constexpr std::string_view kName = "abort";
  TxId tx;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

// ----------------------------------------------------------------- coordinator log

// Presumed commit: the coordinator is collecting votes (recovery turns it into an abort).
struct Collecting {
  static constexpr std::string_view kName = "collecting";
  TxId tx;
  std::vector<NodeId> participants;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["participants"] = node_names(*cluster, participants);
  }
};

// The decision and who must hear it. Two types, so that the record's name is the outcome.
struct DecisionFields {
  TxId tx;
  std::vector<NodeId> targets;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["targets"] = node_names(*cluster, targets);
  }
};
struct CommitDecision : DecisionFields {
  static constexpr std::string_view kName = "commit";
};
struct AbortDecision : DecisionFields {
  static constexpr std::string_view kName = "abort";
};

// Every participant acknowledged: the transaction may be forgotten.
struct End {
  static constexpr std::string_view kName = "end";
  TxId tx;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

// --------------------------------------------------------------------- acceptor

// One Paxos instance's state at an acceptor. ballot < 0: nothing accepted yet.
struct AcceptorState {
  static constexpr std::string_view kName = "acceptor";
  int64_t promised = -1;
  int64_t ballot = -1;
  std::string value;  // meaningful when ballot >= 0
  void write_fields(Json& out) const {
    out["promised"] = promised;
    out["ballot"] = ballot;
    if (ballot >= 0) {
      out["value"] = value;
    } else {
      out["value"] = nullptr;
    }
  }
};

}  // namespace dsim::twopc::rec
