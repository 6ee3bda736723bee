// Paxos Commit (Gray & Lamport, 2006) runs one Paxos consensus instance per participant
// of a transaction, each choosing "prepared" or "aborted"; the transaction commits iff
// every instance chose "prepared". Each participant proposes its own vote at ballot 0;
// a leader (the coordinator, or any participant tired of waiting) that finds an instance
// undecided runs a higher ballot and proposes "aborted" where nothing was accepted yet.
//
// A PaxosRound is one node's view of one transaction's instances: it learns what the
// acceptors accepted (phase 2b) and, when asked, leads a ballot (phase 1a/1b, then 2a).
// Messages batch all instances of the transaction:
//   p1a {tx, rms, ballot}      p1b {tx, ballot, promised, max_promised, accepted: {rm: {ballot, value}}}
//   p2a {tx, ballot, values: {rm: value}, reply_to}      p2b {tx, ballot, values: {rm: value}}
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/process.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/participant_base.h"

namespace dsim::twopc {

inline constexpr const char* kPrepared = "prepared";
inline constexpr const char* kAborted = "aborted";

class PaxosRound {
 public:
  PaxosRound(TxId tx, std::vector<std::string> rms, std::vector<NodeId> acceptors, size_t quorum);

  // Counts an acceptor's phase-2b message, of any ballot, towards choosing values.
  void on_p2b(NodeId acceptor, const msg::Phase2b& m);
  // Leads a new ballot, higher than any this node has used or seen.
  void start_ballot(Context& ctx);
  void on_p1b(Context& ctx, NodeId acceptor, const msg::Phase1b& m);
  // Abort once any instance chose "aborted"; commit once every instance chose "prepared".
  std::optional<Outcome> outcome() const;

  int64_t ballot() const { return ballot_; }
  int64_t hops() const { return hops_; }
  int64_t forces() const { return forces_; }
  const std::vector<NodeId>& acceptors() const { return acceptors_; }

 private:
  void note_counters(const msg::TxMessage& m);

  TxId tx_;
  std::vector<std::string> rms_;
  std::vector<NodeId> acceptors_;
  size_t quorum_;
  int64_t ballot_ = 0;  // own ballot being led; 0 before leading any
  bool phase2_sent_ = false;
  int64_t highest_seen_ = 0;
  std::map<NodeId, std::vector<msg::AcceptedValue>> promises_;  // acceptor -> what it accepted, for ballot_
  // rm -> ballot -> (value, acceptors that accepted it)
  std::map<std::string, std::map<int64_t, std::pair<std::string, std::set<NodeId>>>> accepted_;
  std::map<std::string, std::string> chosen_;
  int64_t hops_ = 0, forces_ = 0;
};

// A ballot owned by `self` (ballots of different nodes never collide; restarts move to
// a higher range, so a restarted node never reuses a ballot) and above `above`.
int64_t next_ballot(int64_t above, uint32_t incarnation, NodeId self, size_t cluster_size);

}  // namespace dsim::twopc
