// The trace events of the 2PC family (ctx.trace), as the family's own types: the checks
// read them with Observation::as<E>(), and their JSON ("data" in the trace) is written
// only while a trace is being written. An event is recorded by reference during the
// ctx.trace call, so it may point at the emitter's own data (spans, pointers).
// write_fields is a template: it writes a Json object (tests, o.fields()) or, while a
// trace is written, the line's text directly (core/field_writer.h; each key once).
//
// By who emits them (the trace's name, then its fields in order):
//   client      op {type, id, op, value}                 (core/client_op.h's common record)
//               tx_submit {request, kind, coordinator}
//               tx_result {request, tx, kind, outcome, latency_ns, audit_total?, results?}
//                         | {request, kind, outcome: unknown, timed_out, latency_ns}
//   coordinator tx_begin {tx, request, client, kind, participants, writers}
//               decision {tx, outcome, via, to, hops, forces}   (first announcement)
//               resend {tx, outcome, to}             answer {tx, outcome, presumed, to}
//               end {tx}                             log {tx, rec, forced, lazy?}
//               log_flush                            (the lazy log's group commit)
//               recovered {decisions, collecting, presumption}   (after a restart)
//   participant open {balances}                       (first boot)
//               work {tx, coordinator, accounts}     executed {tx, ok, reason?}
//               vote {tx, vote, forced}              precommit {tx}
//               outcome {tx, outcome, via, deltas, hops, forces, heuristic?}
//               inquire {tx, to, ballot?}            unknown_decision {tx, outcome}
//               conflicting_decision {tx, had, got}  log {tx, rec, forced}
//               decision {tx, outcome, via, to}      (3PC / Paxos Commit termination leader)
//               recovered {in_doubt, balances}       (after a restart)
//   acceptor    accepted {tx, rm, ballot, value}
// `request` is the client's request id (request_id.h), written as its text "client1.0.17".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/client_op.h"
#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc::ev {

// The names of `nodes`, as an array written in place (core/field_writer.h).
inline auto names(const Cluster& cluster, std::span<const NodeId> nodes) {
  return array_of([&cluster, nodes](auto& a) {
    for (NodeId n : nodes) a.push_back(cluster.name(n));
  });
}

using Balances = std::map<std::string, int64_t>;
using Deltas = std::vector<std::pair<std::string, int64_t>>;  // account -> change, in order

// ------------------------------------------------------------------------------ client

struct TxSubmit {
  static constexpr std::string_view kName = "tx_submit";
  RequestId request;
  std::string_view kind;
  NodeId coordinator = kNoNode;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["request"] = request.text(*cluster);
    out["kind"] = std::string(kind);
    out["coordinator"] = cluster->name(coordinator);
  }
};

// A request's end: the coordinator's answer, or (timed_out) none in time.
struct TxResult {
  static constexpr std::string_view kName = "tx_result";
  RequestId request;
  std::string_view kind;
  std::string_view outcome;  // commit | abort | unknown
  bool timed_out = false;
  TxId tx;       // not when timed out
  int64_t latency_ns = 0;
  std::optional<int64_t> audit_total;  // a committed audit's sum of every balance
  const std::vector<std::pair<NodeId, int64_t>>* results = nullptr;  // a committed "double"
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["request"] = request.text(*cluster);
    if (timed_out) {
      out["kind"] = std::string(kind);
      out["outcome"] = std::string(outcome);
      out["timed_out"] = true;
      out["latency_ns"] = latency_ns;
      return;
    }
    out["tx"] = tx;
    out["kind"] = std::string(kind);
    out["outcome"] = std::string(outcome);
    out["latency_ns"] = latency_ns;
    if (audit_total) out["audit_total"] = *audit_total;
    if (results != nullptr) {
      out["results"] = object_of([this](auto& r) {
        for (const auto& [p, value] : *results) r[cluster->name(p)] = value;
      });
    }
  }
};

// The value of the common record of a client operation (core/client_op.h: "op" {type,
// id, op, value}, traced with trace_op_invoke / trace_op_complete):
//   invoke: {request, ops: {participant: [op]}}     timed out: {request}
//   answered: {request, tx, audit_total?, results?}
struct OpValue {
  static constexpr std::string_view kName = "tx_op";
  RequestId request;
  const PlanRef* plan = nullptr;  // invoke: the request's ops (messages.h's Begin)
  TxId tx;                                                   // answered
  std::optional<int64_t> audit_total;
  const std::vector<std::pair<NodeId, int64_t>>* results = nullptr;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& value) const {
    value["request"] = request.text(*cluster);
    if (plan != nullptr) value["ops"] = request_ops_object(*cluster, *plan);
    if (!tx.empty()) value["tx"] = tx;
    if (audit_total) value["audit_total"] = *audit_total;
    if (results != nullptr) {
      value["results"] = object_of([this](auto& r) {
        for (const auto& [p, v] : *results) r[cluster->name(p)] = v;
      });
    }
  }
};

// --------------------------------------------------------------------------- coordinator

struct TxBegin {
  static constexpr std::string_view kName = "tx_begin";
  TxId tx;
  RequestId request;
  NodeId client = kNoNode;
  std::string_view kind;
  std::span<const NodeId> participants;
  std::span<const NodeId> writers;  // participants with a write (in the request's order)
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["request"] = request.text(*cluster);
    out["client"] = cluster->name(client);
    out["kind"] = std::string(kind);
    out["participants"] = names(*cluster, participants);
    out["writers"] = names(*cluster, writers);
  }
};

// The first announcement of an outcome: by the coordinator (with the causal counters), or
// by a 3PC / Paxos Commit participant that terminated the transaction.
struct Decision {
  static constexpr std::string_view kName = "decision";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  std::string_view via;
  std::span<const NodeId> to;
  bool by_coordinator = true;  // hops and forces are written only then
  int64_t hops = 0, forces = 0;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["via"] = std::string(via);
    out["to"] = names(*cluster, to);
    if (!by_coordinator) return;
    out["hops"] = hops;
    out["forces"] = forces;
  }
};

struct Resend {
  static constexpr std::string_view kName = "resend";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  std::span<const NodeId> to;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["to"] = names(*cluster, to);
  }
};

// The coordinator's answer to an inquiry: what it knows, or (presumed) what it presumes.
struct Answer {
  static constexpr std::string_view kName = "answer";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  bool presumed = false;
  NodeId to = kNoNode;
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["presumed"] = presumed;
    out["to"] = array_of([this](auto& a) { a.push_back(cluster->name(to)); });
  }
};

struct End {
  static constexpr std::string_view kName = "end";
  TxId tx;
  template <typename Out>
  void write_fields(Out& out) const { out["tx"] = tx; }
};

// A write-ahead log record (coordinator or participant). rec: collecting, commit, abort,
// end, prepared, precommit.
struct Log {
  static constexpr std::string_view kName = "log";
  TxId tx;
  std::string_view rec;
  bool forced = false;
  bool lazy = false;  // the lazy decision log's mistake: appended, not yet synced
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["rec"] = std::string(rec);
    out["forced"] = forced;
    if (lazy) out["lazy"] = true;
  }
};

struct LogFlush {
  static constexpr std::string_view kName = "log_flush";
  void write_fields(Json&) const {}
};

struct CoordinatorRecovered {
  static constexpr std::string_view kName = "recovered";
  const std::vector<std::pair<TxId, Outcome>>* decisions = nullptr;  // by tx id (text order)
  const std::vector<TxId>* collecting = nullptr;  // PC: collecting, undecided
  std::string_view presumption;                          // none | abort | commit
  template <typename Out>
  void write_fields(Out& out) const {
    Json d = Json::object();
    if (decisions != nullptr) {
      for (const auto& [id, o] : *decisions) d[id.str()] = to_string(o);
    }
    out["decisions"] = std::move(d);
    Json c = Json::array();
    if (collecting != nullptr) {
      for (const TxId& id : *collecting) c.push_back(id.str());
    }
    out["collecting"] = std::move(c);
    out["presumption"] = std::string(presumption);
  }
};

// --------------------------------------------------------------------------- participant

struct Open {
  static constexpr std::string_view kName = "open";
  const Balances* balances = nullptr;
  template <typename Out>
  void write_fields(Out& out) const { out["balances"] = Json(*balances); }
};

struct ParticipantRecovered {
  static constexpr std::string_view kName = "recovered";
  const std::vector<TxId>* in_doubt = nullptr;  // by tx id (text order)
  const Balances* balances = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    Json ids = Json::array();
    for (const TxId& id : *in_doubt) ids.push_back(id.str());
    out["in_doubt"] = std::move(ids);
    out["balances"] = Json(*balances);
  }
};

struct Work {
  static constexpr std::string_view kName = "work";
  TxId tx;
  NodeId coordinator = kNoNode;
  const std::vector<std::string>* accounts = nullptr;  // the locks it holds for it
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["coordinator"] = cluster->name(coordinator);
    out["accounts"] = Json(*accounts);
  }
};

struct Executed {
  static constexpr std::string_view kName = "executed";
  TxId tx;
  bool ok = false;
  std::string_view reason;  // when refused
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["ok"] = ok;
    if (!ok) out["reason"] = std::string(reason);
  }
};

struct VoteCast {
  static constexpr std::string_view kName = "vote";
  TxId tx;
  VoteValue vote = VoteValue::kNo;
  bool forced = false;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["vote"] = to_string(vote);
    out["forced"] = forced;
  }
};

struct PreCommitted {
  static constexpr std::string_view kName = "precommit";
  TxId tx;
  template <typename Out>
  void write_fields(Out& out) const { out["tx"] = tx; }
};

// A participant applied an outcome.
struct OutcomeApplied {
  static constexpr std::string_view kName = "outcome";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  std::string_view via;
  const Deltas* deltas = nullptr;  // what a commit changed; empty for an abort
  int64_t hops = 0, forces = 0;
  bool heuristic = false;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
    out["via"] = std::string(via);
    out["deltas"] = object_of([this](auto& d) {
      for (const auto& [account, delta] : *deltas) d[account] = delta;
    });
    out["hops"] = hops;
    out["forces"] = forces;
    if (heuristic) out["heuristic"] = true;
  }
};

// An in-doubt participant asks (the coordinator, peers, or the acceptors with a ballot).
struct Inquired {
  static constexpr std::string_view kName = "inquire";
  TxId tx;
  std::span<const NodeId> to;
  std::optional<int64_t> ballot;  // Paxos Commit
  const Cluster* cluster = nullptr;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["to"] = names(*cluster, to);
    if (ballot) out["ballot"] = *ballot;
  }
};

struct UnknownDecision {
  static constexpr std::string_view kName = "unknown_decision";
  TxId tx;
  Outcome outcome = Outcome::kAbort;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["outcome"] = to_string(outcome);
  }
};

struct ConflictingDecision {
  static constexpr std::string_view kName = "conflicting_decision";
  TxId tx;
  Outcome had = Outcome::kAbort, got = Outcome::kAbort;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["had"] = to_string(had);
    out["got"] = to_string(got);
  }
};

// ------------------------------------------------------------------------------ acceptor

struct Accepted {
  static constexpr std::string_view kName = "accepted";
  TxId tx;
  std::string_view rm;
  int64_t ballot = 0;
  std::string_view value;
  template <typename Out>
  void write_fields(Out& out) const {
    out["tx"] = tx;
    out["rm"] = std::string(rm);
    out["ballot"] = ballot;
    out["value"] = std::string(value);
  }
};

}  // namespace dsim::twopc::ev
