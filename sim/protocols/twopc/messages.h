// The messages of the 2PC family and the trace events its checkers and plots read.
//
// Every message about a transaction carries {"tx", "hops", "forces"}: the length of the
// causal chain of message delays and forced writes that led to it, counted from the
// first message of the commit protocol proper. An outcome traced with these two numbers
// gives commit latency in message delays and forced writes without any global view.
//
// Trace events (ctx.trace), by who emits them:
//   client      tx_submit {request, kind}            tx_result {request, tx, outcome, ...}
//   coordinator tx_begin {tx, client, participants, writers, kind}
//               decision {tx, outcome, via, to}      (first announcement)
//               resend {tx, outcome, to}             answer {tx, outcome, presumed, to}
//               end {tx}                             log {tx, rec, forced}
//               recovered {decisions, collecting, presumption}   (after a restart)
//   participant open {balances}                       (first boot)
//               work {tx, coordinator, accounts}     executed {tx, ok, reason?}
//               vote {tx, vote, forced}              precommit {tx}
//               outcome {tx, outcome, via, deltas, hops, forces, heuristic?}
//               inquire {tx, to}                     unknown_decision {tx, outcome}
//               conflicting_decision {tx, had, got}  log {tx, rec, forced}
//               decision {tx, outcome, via}          (3PC / Paxos Commit termination leader)
//               recovered {in_doubt, balances}       (after a restart)
//   acceptor    accepted {tx, rm, ballot, value}
#pragma once

#include <string>

#include "core/json.h"
#include "core/json_object.h"
#include "core/message.h"

namespace dsim::twopc::msg {

// client <-> coordinator
inline const std::string kBegin = "begin";    // {request, ops: {participant: [op]}}
inline const std::string kResult = "result";  // {request, tx, outcome, reads, results}
// execution phase
inline const std::string kExecute = "execute";    // {tx, ops, participants, coordinator}
inline const std::string kExecuted = "executed";  // {tx, ok, epoch, reads, result}
// two-phase commit
inline const std::string kPrepare = "prepare";  // {tx, epoch, participants}
inline const std::string kVote = "vote";        // {tx, vote: yes|no|read_only}
inline const std::string kDecision = "decision";  // {tx, outcome}
inline const std::string kAck = "ack";
inline const std::string kInquire = "inquire";
inline const std::string kPeerInquire = "peer_inquire";
inline const std::string kPeerAnswer = "peer_answer";  // {tx, state: commit|abort|uncertain}
// three-phase commit
inline const std::string kPreCommit = "pre_commit";
inline const std::string kPreCommitAck = "pre_commit_ack";
inline const std::string kStateRequest = "state_req";
inline const std::string kStateReply = "state_reply";  // {tx, state}
// Paxos Commit (Gray & Lamport): one Paxos instance per (tx, participant)
inline const std::string kPhase1a = "p1a";  // {tx, rms, ballot}
inline const std::string kPhase1b = "p1b";  // {tx, ballot, accepted: {rm: {ballot, value}}}
inline const std::string kPhase2a = "p2a";  // {tx, rm, ballot, value, reply_to}
inline const std::string kPhase2b = "p2b";  // {tx, rm, ballot, value}

inline const char* kCommit = "commit";
inline const char* kAbort = "abort";

// A message about `tx` with the causal counters.
inline Message about(const std::string& type, const std::string& tx, int64_t hops, int64_t forces,
                     Json extra = Json::object()) {
  Json body = json_object("tx", tx, "hops", hops, "forces", forces);
  auto& fields = body.get_ref<Json::object_t&>();
  fields.reserve(3 + extra.size());
  for (auto& [key, value] : extra.get_ref<Json::object_t&>()) {
    auto it = fields.find(key);  // a field of `extra` named like a counter replaces it
    if (it != fields.end()) {
      it->second = std::move(value);
    } else {
      fields.emplace_back(key, std::move(value));
    }
  }
  return Message(type, std::move(body));
}

inline int64_t hops_of(const Json& body) { return body.value("hops", int64_t{0}); }
inline int64_t forces_of(const Json& body) { return body.value("forces", int64_t{0}); }

}  // namespace dsim::twopc::msg
