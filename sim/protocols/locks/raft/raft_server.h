// One server of the Raft lock service (the variant "raft"): a Raft group in the style of
// etcd (Ongaro & Ousterhout, USENIX ATC 2014; Ongaro's thesis, 2014, for reads and
// leader leases) replicating the lock state machine (lock_state_machine.h).
//
// Raft as in the paper's Figure 2: randomized election timeouts (election_timeout to
// twice that), RequestVote with the up-to-date check (§5.4.1), AppendEntries with the
// consistency check and conflict truncation (§5.3), the leader's commit rule for entries
// of its own term only (§5.4.2), a no-op at the start of each term (§8). currentTerm,
// votedFor and the log are written to the DurableStore and synced before the server
// grants a vote or acknowledges entries (a failed or unfinished sync means no answer
// yet; the leader resends). The leader counts itself in a majority only for entries it
// has synced.
//
// Leases are the leader's (etcd's lessor): the leader keeps each lease's deadline in
// memory, renews it on keep-alive and, when it passes, proposes a revoke; a new leader
// gives every lease a full TTL from its election.
//
// With `leader_check` on (the default) the leader answers only what it knows it still
// may: a read waits for a read index confirmed by a majority heartbeat round (thesis
// §6.4); a keep-alive is answered only within the leader lease (a majority acknowledged
// a heartbeat sent less than 0.9 x election_timeout ago; followers refuse votes within
// election_timeout of hearing from their leader, thesis §4.2.3, which makes the lease
// sound under a clock drift below 10%); and a leader that has heard from no majority
// for two election timeouts steps down (check-quorum). Off — the mistake — a deposed
// leader that does not know it keeps answering reads and keep-alives from its own state.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/raft/lock_state_machine.h"
#include "protocols/locks/raft/raft_messages.h"
#include "protocols/locks/raft/raft_types.h"

namespace dsim::locks::raft {

class RaftServer final : public Process {
 public:
  RaftServer(const ServiceSettings& settings, FirstApplied* first_applied)
      : s_(settings), first_applied_(first_applied) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  bool is_leader() const { return role_ == Role::kLeader; }
  int64_t term() const { return term_; }

 private:
  enum class Role { kFollower, kCandidate, kLeader };
  struct Peer {
    int64_t next = 1;
    int64_t match = 0;
    int64_t acked_seq = 0;
    int64_t acked_sent_ns = INT64_MIN;
  };
  enum class Pending { kLeaseGrant, kPut, kDelete, kLockAcquire, kLockRelease };
  struct PendingReply {
    NodeId client = kNoNode;
    int64_t req = 0;
    Pending kind = Pending::kPut;
  };
  struct Read {
    NodeId client = kNoNode;
    int64_t req = 0;
    std::string key;
    int64_t below_rev = 0;
    int64_t seq = 0;
    int64_t read_index = 0;
  };
  struct Watcher {
    NodeId client = kNoNode;
    int64_t req = 0;
  };

  // ---- Log and disk.
  int64_t last_index() const { return static_cast<int64_t>(log_.size()); }
  int64_t term_at(int64_t index) const { return index <= 0 || index > last_index() ? 0 : log_[index - 1].term; }
  bool persist_hard_state(Context& ctx);
  bool append_entry(Context& ctx, int64_t index, const Entry& e);
  // Syncs what is not durable yet; true when everything written is.
  bool make_durable(Context& ctx);

  // ---- Roles.
  int majority() const { return static_cast<int>((peers_.size() + 1) / 2 + 1); }
  void reset_election_timer(Context& ctx);
  void start_election(Context& ctx);
  void become_follower(Context& ctx, int64_t term);
  void become_leader(Context& ctx);
  void step_down(Context& ctx);

  // ---- Replication.
  void broadcast(Context& ctx);
  void send_append(Context& ctx, NodeId peer);
  void advance_commit(Context& ctx);
  void apply_committed(Context& ctx);
  bool propose(Context& ctx, Command c, NodeId client, int64_t req, Pending kind);
  // The majority-th newest heartbeat a majority has acknowledged (seq, sent time).
  int64_t quorum_seq() const;
  int64_t lease_start_ns(Context& ctx) const;
  bool leader_lease_valid(Context& ctx) const;
  bool term_committed() const { return commit_ >= term_start_; }

  // ---- Handlers.
  void on_request_vote(Context& ctx, NodeId from, const RequestVote& m);
  void on_vote_reply(Context& ctx, NodeId from, const VoteReply& m);
  void on_append(Context& ctx, NodeId from, const AppendEntries& m);
  void on_append_reply(Context& ctx, NodeId from, const AppendReply& m);
  void on_heartbeat(Context& ctx);
  // Client requests; false when m is none.
  bool on_client(Context& ctx, NodeId from, const Message& m);
  void serve_reads(Context& ctx);
  void answer_read(Context& ctx, const Read& r);

  ServiceSettings s_;
  FirstApplied* first_applied_;
  std::vector<NodeId> peers_;
  Role role_ = Role::kFollower;
  int64_t term_ = 0;
  int64_t voted_for_ = -1;
  std::vector<Entry> log_;
  int64_t commit_ = 0;
  int64_t applied_ = 0;
  int64_t durable_index_ = 0;  // the last log index known synced
  uint64_t last_write_ = 0;    // the store's write mark after our last write
  int64_t leader_ = -1;
  Instant last_heard_leader_;
  bool heard_leader_ = false;
  TimerId election_timer_ = 0;
  TimerId heartbeat_timer_ = 0;
  std::set<NodeId> votes_;
  // Leader state.
  std::map<NodeId, Peer> peer_state_;
  int64_t seq_ = 0;
  int64_t term_start_ = 0;       // index of this term's no-op
  int64_t leader_since_ns_ = 0;  // local clock at the election
  std::map<int64_t, PendingReply> pending_;  // by log index
  std::vector<Read> reads_;
  std::map<std::string, std::vector<Watcher>> watches_;
  std::map<int64_t, Instant> lease_deadline_;  // lease id -> local deadline
  std::set<int64_t> revoking_;
  LockStateMachine sm_;
};

}  // namespace dsim::locks::raft
