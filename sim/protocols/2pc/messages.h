// The messages of the 2PC family, as the family's own types (core/payload.h): a receiver
// dispatches with message.as<T>(), and a message's JSON body is written only while a trace
// is being written (write_fields, in the trace's key order).
// write_fields is a template: it writes a Json object (tests, m.fields()) or, while a
// trace is written, the line's text directly (core/field_writer.h; each key once).
//
// Every message about a transaction (a TxMessage) carries {"tx", "hops", "forces"}: the
// length of the causal chain of message delays and forced writes that led to it, counted
// from the first message of the commit protocol proper. An outcome traced with these two
// numbers gives commit latency in message delays and forced writes without any global view.
//
// Messages that name nodes hold their ids and the run's Cluster (for the names the trace
// shows); the Cluster outlives every message of its run.
//
// The trace events are in events.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/boxed.h"
#include "core/cluster.h"
#include "core/ids.h"
#include "core/field_writer.h"
#include "core/json.h"
#include "core/message.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/request_id.h"
#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/tx_plan.h"

namespace dsim::twopc {

enum class Outcome { kCommit, kAbort };
inline const char* to_string(Outcome o) { return o == Outcome::kCommit ? "commit" : "abort"; }

// A participant's vote.
enum class VoteValue { kYes, kNo, kReadOnly };
inline const char* to_string(VoteValue v) {
  switch (v) {
    case VoteValue::kYes:
      return "yes";
    case VoteValue::kNo:
      return "no";
    case VoteValue::kReadOnly:
      return "read_only";
  }
  return "?";
}

// The names of `nodes`, as an array written in place (core/field_writer.h: no Json tree
// while a trace line is written); node_names_json builds it as Json.
inline auto node_name_array(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  return array_of([&cluster, &nodes](auto& a) {
    for (NodeId n : nodes) a.push_back(cluster.name(n));
  });
}
inline Json node_names_json(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  return Json(node_name_array(cluster, nodes));
}

// {account: balance, ...} written in place.
inline auto balances_object(const std::vector<std::pair<std::string, int64_t>>& reads) {
  return object_of([&reads](auto& o) {
    for (const auto& [account, balance] : reads) o[account] = balance;
  });
}

// What a client asks for: a transfer, an audit, or the seed document's "double".
enum class RequestKind : uint8_t { kTransfer, kAudit, kDouble };
inline const char* to_string(RequestKind k) {
  return k == RequestKind::kTransfer ? "transfer" : k == RequestKind::kAudit ? "audit" : "double";
}

// {participant: [op], ...} in the order the client wrote them (a request's plan), written in
// place. Empty without a plan.
inline auto request_ops_object(const Cluster& cluster, const PlanRef& plan) {
  return object_of([&cluster, &plan](auto& o) {
    if (!plan) return;
    for (uint32_t k : plan->request_order) o[cluster.name(plan->participants[k])] = ops_array(plan->ops_of(k));
  });
}

namespace msg {

inline constexpr const char* kCommit = "commit";
inline constexpr const char* kAbort = "abort";

// The fields every message about a transaction starts with.
struct TxMessage {
  TxId tx;
  int64_t hops = 0;
  int64_t forces = 0;
  template <typename Out>
  void write_header(Out& out) const {
    out["tx"] = tx;
    out["hops"] = hops;
    out["forces"] = forces;
  }
};

// ------------------------------------------------------------------ client <-> coordinator

// {request, kind, ops: {participant: [op]}}: a participant's ops in the order the client
// wrote them. The ops travel as the request's plan (tx_plan.h: plan_of_request), which the
// coordinator keeps for the transaction instead of copying them; held inline.
struct Begin {
  static constexpr std::string_view kName = "begin";
  RequestId request;
  PlanRef plan;  // no acceptors: the coordinator names them
  const Cluster* cluster = nullptr;
  RequestKind kind = RequestKind::kTransfer;
  template <typename Out>
  void write_fields(Out& out) const {
    out["request"] = request.text(*cluster);
    out["kind"] = to_string(kind);
    out["ops"] = request_ops_object(*cluster, plan);
  }
};

// {request, tx, outcome, reads: {account: balance}, results: {participant: value}}
struct Result {
  static constexpr std::string_view kName = "result";
  using Reads = std::vector<std::pair<std::string, int64_t>>;
  using Results = std::vector<std::pair<NodeId, int64_t>>;
  // What only an audit's or a double's answer carries, apart: the common answer is held
  // inline (core/boxed.h).
  struct Answers {
    Reads reads;
    Results results;
  };
  RequestId request;
  TxId tx;  // its cluster names the nodes
  Outcome outcome = Outcome::kAbort;
  Boxed<Answers> answers;  // none: no reads, no results
  const Reads& reads() const { return answers.get() ? answers.get()->reads : kNoReads; }
  const Results& results() const { return answers.get() ? answers.get()->results : kNoResults; }
  template <typename Out>
  void write_fields(Out& out) const {
    out["request"] = request.text(*tx.cluster);
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["reads"] = balances_object(reads());
    out["results"] = object_of([this](auto& o) {
      for (const auto& [p, value] : results()) o[tx.cluster->name(p)] = value;
    });
  }
  static inline const Reads kNoReads{};
  static inline const Results kNoResults{};
};

// ------------------------------------------------------------------------ execution phase

// {tx, hops, forces, ops, participants, acceptors}: the receiver's branch of the shared
// plan (tx_plan.h), so that an Execute is held inline and copies no op list. The names are
// the transaction id's Cluster's.
struct Execute : TxMessage {
  static constexpr std::string_view kName = "execute";
  PlanRef plan;
  uint32_t branch = 0;  // plan->ops_of(branch) (and plan->participants[branch]) is the receiver's
  OpList ops() const { return plan->ops_of(branch); }
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["ops"] = ops_array(ops());
    out["participants"] = node_name_array(*tx.cluster, plan->participants);
    out["acceptors"] = node_name_array(*tx.cluster, plan->acceptors);
  }
};

// ok: {tx, hops, forces, ok, epoch, reads, result}; refused: {tx, hops, forces, ok, reason}
struct Executed : TxMessage {
  static constexpr std::string_view kName = "executed";
  using Reads = std::vector<std::pair<std::string, int64_t>>;
  // What few executions carry, apart: the common answer ("ok", nothing read) is held
  // inline (core/boxed.h).
  struct Rare {
    Reads reads;                    // a read_all op's balances
    std::optional<int64_t> result;  // a "double" op's answer
    std::string reason;             // why it was refused
  };
  uint32_t epoch = 0;  // the participant's incarnation (ok only)
  bool ok = false;
  Boxed<Rare> rare;  // none: no reads, no result, no reason
  const Reads& reads() const { return rare.get() ? rare.get()->reads : kNoReads; }
  std::optional<int64_t> result() const { return rare.get() ? rare.get()->result : std::nullopt; }
  std::string_view reason() const { return rare.get() ? std::string_view(rare.get()->reason) : std::string_view(); }
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["ok"] = ok;
    if (!ok) {
      out["reason"] = std::string(reason());
      return;
    }
    out["epoch"] = epoch;
    out["reads"] = balances_object(reads());
    if (std::optional<int64_t> r = result()) {
      out["result"] = *r;
    } else {
      out["result"] = nullptr;
    }
  }
  static inline const Reads kNoReads{};
};
static_assert(sizeof(Executed) <= 56 && sizeof(Result) <= 56, "held inline (core/payload.h)");

// ------------------------------------------------------------------------ two-phase commit

// {tx, hops, forces, epoch, participants, acceptors (Paxos Commit only)}: the members of
// the shared plan (tx_plan.h), which lists acceptors only in Paxos Commit. Held inline.
struct Prepare : TxMessage {
  static constexpr std::string_view kName = "prepare";
  int64_t epoch = 0;
  PlanRef plan;
  const std::vector<NodeId>& participants() const { return plan->participants; }
  const std::vector<NodeId>& acceptors() const { return plan->acceptors; }
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["epoch"] = epoch;
    out["participants"] = node_name_array(*tx.cluster, plan->participants);
    if (!plan->acceptors.empty()) out["acceptors"] = node_name_array(*tx.cluster, plan->acceptors);
  }
};

struct Vote : TxMessage {
  static constexpr std::string_view kName = "vote";
  VoteValue vote = VoteValue::kNo;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["vote"] = to_string(vote);
  }
};

struct Decision : TxMessage {
  static constexpr std::string_view kName = "decision";
  Outcome outcome = Outcome::kAbort;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["outcome"] = to_string(outcome);
  }
};

struct Ack : TxMessage {
  static constexpr std::string_view kName = "ack";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

struct Inquire : TxMessage {
  static constexpr std::string_view kName = "inquire";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

struct PeerInquire : TxMessage {
  static constexpr std::string_view kName = "peer_inquire";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

// What a peer knows: commit, abort, or nothing yet.
enum class PeerState { kCommit, kAbort, kUncertain };

struct PeerAnswer : TxMessage {
  static constexpr std::string_view kName = "peer_answer";
  PeerState state = PeerState::kUncertain;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["state"] = state == PeerState::kCommit ? "commit" : state == PeerState::kAbort ? "abort" : "uncertain";
  }
};

// ---------------------------------------------------------------------- three-phase commit

struct PreCommit : TxMessage {
  static constexpr std::string_view kName = "pre_commit";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

struct PreCommitAck : TxMessage {
  static constexpr std::string_view kName = "pre_commit_ack";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

struct StateRequest : TxMessage {
  static constexpr std::string_view kName = "state_req";
  template <typename Out>
  void write_fields(Out& out) const { write_header(out); }
};

// A participant's state in 3PC termination.
enum class TerminationState { kCommitted, kPreCommitted, kUncertain, kAborted };
inline const char* to_string(TerminationState s) {
  switch (s) {
    case TerminationState::kCommitted:
      return "committed";
    case TerminationState::kPreCommitted:
      return "precommitted";
    case TerminationState::kUncertain:
      return "uncertain";
    case TerminationState::kAborted:
      return "aborted";
  }
  return "?";
}

struct StateReply : TxMessage {
  static constexpr std::string_view kName = "state_reply";
  TerminationState state = TerminationState::kUncertain;
  bool recovering = false;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["state"] = to_string(state);
    out["recovering"] = recovering;
  }
};

// ---------------------------------------------- Paxos Commit: one instance per (tx, participant)
// Instances are named by the participant's (resource manager's) name, as the acceptors
// store them; values are "prepared" or "aborted".

using RmValues = std::vector<std::pair<std::string, std::string>>;  // rm -> value, in order

inline Json rm_values_json(const RmValues& values) {
  Json out = Json::object();
  for (const auto& [rm, value] : values) out[rm] = value;
  return out;
}

// {tx, hops, forces, rms, ballot}
struct Phase1a : TxMessage {
  static constexpr std::string_view kName = "p1a";
  std::vector<std::string> rms;
  int64_t ballot = 0;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["rms"] = rms;
    out["ballot"] = ballot;
  }
};

// What an acceptor accepted for one instance: nothing, or (ballot, value).
struct AcceptedValue {
  std::string rm;
  std::optional<std::pair<int64_t, std::string>> accepted;
};

// {tx, hops, forces, ballot, promised, max_promised, accepted: {rm: null | {ballot, value}}}
struct Phase1b : TxMessage {
  static constexpr std::string_view kName = "p1b";
  int64_t ballot = 0;
  bool promised = false;
  int64_t max_promised = 0;
  std::vector<AcceptedValue> accepted;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["ballot"] = ballot;
    out["promised"] = promised;
    out["max_promised"] = max_promised;
    Json a = Json::object();
    for (const AcceptedValue& v : accepted) {
      if (v.accepted) {
        Json one = Json::object();
        one["ballot"] = v.accepted->first;
        one["value"] = v.accepted->second;
        a[v.rm] = std::move(one);
      } else {
        a[v.rm] = nullptr;
      }
    }
    out["accepted"] = std::move(a);
  }
};

// {tx, hops, forces, ballot, values: {rm: value}, reply_to}
struct Phase2a : TxMessage {
  static constexpr std::string_view kName = "p2a";
  int64_t ballot = 0;
  RmValues values;
  NodeId reply_to = kNoNode;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["ballot"] = ballot;
    out["values"] = rm_values_json(values);
    out["reply_to"] = cluster->name(reply_to);
  }
};

// {tx, hops, forces, ballot, values: {rm: value}}
struct Phase2b : TxMessage {
  static constexpr std::string_view kName = "p2b";
  int64_t ballot = 0;
  RmValues values;
  template <typename Out>
  void write_fields(Out& out) const {
    write_header(out);
    out["ballot"] = ballot;
    out["values"] = rm_values_json(values);
  }
};

// The transaction any message is about (its "tx"), else nullptr.
inline const TxId* tx_of(const Message& m) {
  const TxId* out = nullptr;
  auto try_as = [&]<typename T>(const T*) {
    if (out != nullptr) return;
    if (const T* x = m.as<T>()) out = &x->tx;
  };
  try_as(static_cast<const Vote*>(nullptr));
  try_as(static_cast<const Decision*>(nullptr));
  try_as(static_cast<const Ack*>(nullptr));
  try_as(static_cast<const Prepare*>(nullptr));
  try_as(static_cast<const Execute*>(nullptr));
  try_as(static_cast<const Executed*>(nullptr));
  try_as(static_cast<const Result*>(nullptr));
  try_as(static_cast<const Inquire*>(nullptr));
  try_as(static_cast<const PeerInquire*>(nullptr));
  try_as(static_cast<const PeerAnswer*>(nullptr));
  try_as(static_cast<const PreCommit*>(nullptr));
  try_as(static_cast<const PreCommitAck*>(nullptr));
  try_as(static_cast<const StateRequest*>(nullptr));
  try_as(static_cast<const StateReply*>(nullptr));
  try_as(static_cast<const Phase1a*>(nullptr));
  try_as(static_cast<const Phase1b*>(nullptr));
  try_as(static_cast<const Phase2a*>(nullptr));
  try_as(static_cast<const Phase2b*>(nullptr));
  return out;
}

// The two messages that carry a plan fit the core's inline storage (core/payload.h).
static_assert(payload_detail::fits_inline<Execute> && payload_detail::fits_inline<Prepare>);

}  // namespace msg
}  // namespace dsim::twopc
