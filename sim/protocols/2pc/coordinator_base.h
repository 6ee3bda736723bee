// What every coordinator of the family shares: it takes a client's request, names the
// transaction, runs the execution phase (each participant locks, checks and works on its
// part), answers the client once there is an outcome, and hands the commit protocol
// proper (2PC, 3PC, Paxos Commit) to a subclass once every participant has executed.
//
// Transaction ids are "<coordinator>.<incarnation>.<n>": unique across restarts, so a
// request that arrives again after a crash becomes a new transaction, never a revived one.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "core/process.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/participant_base.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/request_id.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/timers.h"
#include "protocols/2pc/node_map.h"
#include "protocols/2pc/tx_table.h"

namespace dsim::twopc {

class CoordinatorBase : public Process {
 public:
  explicit CoordinatorBase(std::shared_ptr<const Settings> settings);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  enum class Phase { kExecuting, kVoting, kPreCommitting, kDecided };

  struct Tx {
    TxId id;
    RequestId request;
    NodeId client = kNoNode;
    // Who takes part (in id order) and what each is asked: shared with its Execute and
    // Prepare messages (tx_plan.h). Set for every transaction in the table (an adopted one
    // gets a plan without ops).
    PlanRef plan;
    const std::vector<NodeId>& participants() const { return plan->participants; }
    NodeMap<int64_t> epochs;      // executed, in which incarnation
    NodeMap<VoteValue> votes;
    NodeSet acked;
    std::vector<NodeId> targets;           // who must hear the decision
    std::vector<std::pair<std::string, int64_t>> reads;  // account -> balance, as read
    std::vector<std::pair<NodeId, int64_t>> results;     // a "double" op's answers
    Phase phase = Phase::kExecuting;
    std::optional<Outcome> decision;
    int64_t hops = 0, forces = 0;  // the longest causal chain seen this phase
    TimerId timer = 0;
    int64_t handle = 0;  // its timers' argument (tx_table.h)
    bool logged = false;       // a record of it is in the log: END will be written
    bool client_told = false;
    bool awaiting_log = false;  // decided, but the record is not durable yet: tell nobody
  };

  // For tests: the phase of a transaction still in the table.
  // For tests: the phase of a transaction still in the table, by its id's text.
  std::optional<Phase> phase_of(std::string_view tx) const;
  // The texts of the ids in the table, sorted.
  std::vector<std::string> open_transactions() const;

 protected:
  // All participants executed their part.
  virtual void start_commit(Context& ctx, Tx& tx) = 0;
  virtual void on_protocol_message(Context& ctx, NodeId from, const Message& m) = 0;
  // `tx` is null for timers not about one transaction.
  virtual void on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) = 0;
  // The vote timeout fired while votes were still missing.
  virtual void on_vote_timeout(Context& ctx, Tx& tx) = 0;
  // After a restart. The default knows nothing and says so.
  virtual void on_recover(Context& ctx);

  const Settings& settings() const { return *s_; }
  Tx* find(const TxId& id);
  // A transaction rebuilt from the log during recovery.
  Tx& adopt(const TxId& id, std::vector<NodeId> participants);
  // The header of a message about `tx`: its id and causal counters.
  static msg::TxMessage about(const Tx& tx) { return msg::TxMessage{tx.id, tx.hops, tx.forces}; }
  // The transaction's shared plan (participants, acceptors), for its Prepare messages.
  static const PlanRef& plan_of(const Tx& tx) { return tx.plan; }
  void wait(Context& ctx, Tx& tx, Duration after, TxTimer kind);
  void stop_waiting(Context& ctx, Tx& tx);
  void tell_client(Context& ctx, Tx& tx);
  // Traces the first announcement of the outcome and sends it to `to`.
  void announce(Context& ctx, Tx& tx, const std::vector<NodeId>& to, std::string_view via);
  // Drops the transaction from memory (after END, or when nothing needs remembering).
  void forget(Context& ctx, Tx& tx);


 private:
  void on_begin(Context& ctx, NodeId from, const msg::Begin& m);
  void on_executed(Context& ctx, NodeId from, const msg::Executed& m);
  void abort_execution(Context& ctx, Tx& tx, NodeId refused_by, std::string_view via);

  std::shared_ptr<const Settings> s_;
  TxTable<Tx> txs_;  // looked up per message; walked only sorted
  // The requests taken this incarnation (a duplicate is dropped). A flat hashed set of
  // ids (integers, request_id.h): looked up per request, never walked, and no heap node
  // or string per request.
  absl::flat_hash_set<RequestId> requests_;
  static constexpr size_t kRequestsReserved = 64;  // at least (a scripted run's expectation is its script)
  std::vector<NodeId> writers_scratch_;  // on_begin's, kept to reuse its memory
  int64_t next_seq_ = 1;
};

}  // namespace dsim::twopc
