// The checkers' own model of every transaction, built only from trace events (never
// from the protocol's memory): who takes part, what each participant voted, what state
// each is in, every outcome each ever reached, and what a restart made it forget.
// One run's checks share one ledger (SharedTxLedger below): it is their common model, and
// keeping seven copies of it was 17% of a 2PC run.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "check/checker.h"
#include "core/json.h"
#include "protocols/2pc/events.h"

namespace dsim::twopc {

class TxLedger {
 public:
  enum class State { kNone, kWorking, kExecuted, kPrepared, kCommitted, kAborted, kReadOnly, kLost };
  static const char* to_string(State s);

  struct Part {  // one participant's side of one transaction
    State state = State::kNone;
    std::optional<VoteValue> vote;
    Instant since;     // when the current state began
    Instant prepared_at = Instant::max();
    Instant decided_at = Instant::max();
    bool committed_ever = false;
    bool aborted_ever = false;  // aborted, or forgot a promise in a restart
    bool heuristic = false;
    std::string via;
  };

  struct Txn {
    TxId id;
    NodeId coordinator = kNoNode;
    std::string kind;
    Instant begun;
    std::vector<NodeId> participants;
    std::set<NodeId> writers;
    std::map<NodeId, Part> parts;
    std::optional<bool> coordinator_commit;  // the coordinator's first announcement
    Instant coordinator_decided_at = Instant::max();
  };

  // What one event changed.
  struct Update {
    Txn* txn = nullptr;                 // the transaction the event is about, if any
    std::vector<TxId> forgotten; // a restart lost these (participant-side)
    std::vector<TxId> reopened;  // a restart found these in doubt again after an outcome
    // A participant's event (work, executed, vote, outcome): its side of the transaction
    // just before the event (a fresh Part if it had none).
    std::optional<Part> prior;
  };

  Update observe(const Observation& o, const Cluster& cluster);

  Txn* find(const TxId& id);
  const Txn* find(const TxId& id) const;
  const std::vector<TxId>& order() const { return order_; }  // by first appearance
  const auto& all() const { return txns_; }  // in no order
  static bool pending(State s) {
    return s == State::kWorking || s == State::kExecuted || s == State::kPrepared;
  }
  static bool promised(const Part& p) { return p.vote == VoteValue::kYes; }
  bool node_up(NodeId n) const { return down_.count(n) == 0; }
  // When the node last crashed (Instant::max() if never).
  Instant crashed_at(NodeId n) const;

 private:
  Txn& txn(const TxId& id);
  // The participant o.node's side of transaction `id`; sets u.txn to the transaction.
  Part& part(const Observation& o, const TxId& id, Update& u);
  void on_recovered(const Observation& o, const std::vector<TxId>& in_doubt, Update& u);

  // Hashed: looked up on every event; order_ gives the order. Nodes are stable, so
  // Update::txn stays valid.
  std::unordered_map<TxId, Txn, TxIdHash> txns_;
  std::vector<TxId> order_;
  std::set<NodeId> down_;
  std::map<NodeId, Instant> last_crash_;
};

// The ledger of one run, shared by its checks. Whichever check sees an event first
// updates it; the others get the same Update (events are told apart by their sequence
// number). A check made alone gets a ledger of its own.
class SharedTxLedger {
 public:
  const TxLedger::Update& observe(const Observation& o, const Cluster& cluster);
  const TxLedger& ledger() const { return ledger_; }

 private:
  TxLedger ledger_;
  TxLedger::Update last_;
  uint64_t next_seq_ = 0;  // the first event not yet applied
};

// A check that reads the run's shared ledger.
class LedgerChecker : public Checker {
 public:
  explicit LedgerChecker(std::shared_ptr<SharedTxLedger> ledger)
      : shared_(ledger ? std::move(ledger) : std::make_shared<SharedTxLedger>()) {}

 private:
  std::shared_ptr<SharedTxLedger> shared_;

 protected:
  // Brings the ledger up to this event (once per event, whichever check asks first).
  const TxLedger::Update& update_ledger(const Observation& o, CheckerView& view) {
    return shared_->observe(o, view.cluster());
  }

  const TxLedger& ledger_ = shared_->ledger();
};

// "tx c.0.3 at p1, p2" style helpers for violation messages.
std::string node_list(const Cluster& cluster, const std::vector<NodeId>& nodes);
std::vector<std::string> node_names(const Cluster& cluster, const std::vector<NodeId>& nodes);

}  // namespace dsim::twopc
