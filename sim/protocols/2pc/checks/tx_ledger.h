// The checkers' own model of every transaction, built only from trace events (never
// from the protocol's memory): who takes part, what each participant voted, what state
// each is in, every outcome each ever reached, and what a restart made it forget.
// One run's checks share one ledger (SharedTxLedger below): it is their common model, and
// keeping seven copies of it was 17% of a 2PC run.
//
// Transaction indexes: the ledger gives every transaction an event names a small dense
// number (TxIndex: 0, 1, 2, ... in the order the ids first appear), looked up once per
// event through one hash of the id. The ledger's records and every check's own state per
// transaction are arrays indexed by it: no check hashes a TxId again. An index is never
// reused within a run; it means nothing outside it (nothing written depends on it).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check/checker.h"
#include "core/json.h"
#include "protocols/2pc/checks/part_map.h"
#include "protocols/2pc/checks/stable_vec.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/node_map.h"
#include "protocols/2pc/small_vec.h"
#include "protocols/2pc/tx_id_map.h"

namespace dsim::twopc {

using TxIndex = uint32_t;
inline constexpr TxIndex kNoTx = std::numeric_limits<TxIndex>::max();

// One participant's state in one transaction, as its events show it.
enum class TxState : uint8_t { kNone, kWorking, kExecuted, kPrepared, kCommitted, kAborted, kReadOnly, kLost };

// One participant's side of one transaction (TxLedger::Part).
struct TxPart {
  TxState state = TxState::kNone;
  std::optional<VoteValue> vote;
  bool committed_ever = false;
  bool aborted_ever = false;  // aborted, or forgot a promise in a restart
  bool heuristic = false;
  Instant since;     // when the current state began
  Instant prepared_at = Instant::max();
  Instant decided_at = Instant::max();
  std::string_view via;  // the last outcome's way ("" before one); the ledger owns the text
};

class TxLedger {
 public:
  using State = TxState;
  static const char* to_string(State s);
  using Part = TxPart;

  // What most events read comes first: the id, the time of the decision and the nodes of
  // the parts share the record's first cache line (a record starts on one), the parts
  // follow; what only some events read comes after them.
  struct alignas(64) Txn {
    TxId id;
    TxIndex index = kNoTx;
    NodeId coordinator = kNoNode;
    Instant coordinator_decided_at = Instant::max();
    // A handful each: kept in place (part_map.h, small_vec.h, node_map.h).
    PartMap<Part> parts;                     // by node, ascending
    std::optional<bool> coordinator_commit;  // the coordinator's first announcement
    Instant begun;
    SmallVec<NodeId, 4> participants;  // in the order they appeared
    NodeSet writers;                   // ascending

    const Part* part(NodeId n) const { return parts.get(n); }
  };

  // What one event changed.
  struct Update {
    // The transaction the event names (work, executed, vote, outcome, tx_begin, decision,
    // resend, answer, end, log, accepted, unknown_decision), kNoTx for other events.
    TxIndex tx = kNoTx;
    // The ledger's record of it, for the events that make or change one (a participant's
    // work, executed, vote, outcome; tx_begin; decision).
    Txn* txn = nullptr;
    std::vector<TxIndex> forgotten;  // a restart lost these (participant-side)
    std::vector<TxIndex> reopened;   // a restart found these in doubt again after an outcome
    // A participant's event (work, executed, vote, outcome): its side of the transaction
    // just before the event (a fresh Part if it had none).
    std::optional<Part> prior;
  };

  // Applies `o` and says in `u` what it changed (u is cleared first: its lists keep their
  // capacity from one event to the next).
  void observe(const Observation& o, Update& u);
  // The kinds of event observe() reads: the ledger must be shown every one of them.
  static std::vector<const PayloadKind*> event_kinds();

  // The index of `id`, given now if it has none.
  TxIndex index(const TxId& id);
  // The index of `id`; kNoTx when no event named it.
  TxIndex index_of(const TxId& id) const {
    const TxIndex* dense = dense_slot(id);
    if (dense != nullptr && *dense != kNoTx) return *dense;
    if (index_.empty()) return kNoTx;
    auto it = index_.find(id);
    return it == index_.end() ? kNoTx : it->second;
  }
  size_t indexes() const { return ids_.size(); }  // indexes given so far: 0 .. indexes() - 1
  const TxId& id_of(TxIndex i) const { return ids_[i]; }

  Txn* find(TxIndex i) { return i < txn_at_.size() && txn_at_[i] != kNoTx ? &txns_[txn_at_[i]] : nullptr; }
  const Txn* find(TxIndex i) const { return const_cast<TxLedger*>(this)->find(i); }
  const Txn* find(const TxId& id) const { return find(index_of(id)); }
  // Every transaction with a record, in the order of their first record.
  using Txns = StableVec<Txn, 32>;
  const Txns& txns() const { return txns_; }
  static bool pending(State s) {
    return s == State::kWorking || s == State::kExecuted || s == State::kPrepared;
  }
  static bool promised(const Part& p) { return p.vote == VoteValue::kYes; }
  bool node_up(NodeId n) const { return n >= down_.size() || !down_[n]; }
  // When the node last crashed (Instant::max() if never).
  Instant crashed_at(NodeId n) const { return n < last_crash_.size() ? last_crash_[n] : Instant::max(); }

 private:
  // A coordinator incarnation's ids count up from 1: their indexes are kept in an array by
  // sequence number (no hash); an id far beyond the array's end goes to index_ instead.
  struct Origin {
    NodeId coordinator = kNoNode;
    uint32_t incarnation = 0;
    std::vector<TxIndex> by_seq;  // kNoTx: no index yet
  };
  static constexpr uint64_t kDenseSlack = 4096;  // how far beyond its end an array grows
  // The origin found last first (consecutive ids mostly share one), then the newest first:
  // a restarted coordinator's new incarnation is met after its old ones.
  const Origin* origin_of(const TxId& id) const {
    auto is = [&id](const Origin& o) { return o.coordinator == id.coordinator && o.incarnation == id.incarnation; };
    if (last_origin_ < origins_.size() && is(origins_[last_origin_])) return &origins_[last_origin_];
    for (size_t i = origins_.size(); i-- > 0;) {
      if (is(origins_[i])) {
        last_origin_ = i;
        return &origins_[i];
      }
    }
    return nullptr;
  }
  // The array slot of `id`, if it has one.
  const TxIndex* dense_slot(const TxId& id) const {
    const Origin* o = origin_of(id);
    return o != nullptr && id.seq < o->by_seq.size() ? &o->by_seq[id.seq] : nullptr;
  }
  Txn& txn(TxIndex i);
  // The participant o.node's side of transaction `i`; sets u.txn to the transaction.
  Part& part(const Observation& o, TxIndex i, Update& u);
  void on_recovered(const Observation& o, const std::vector<TxId>& in_doubt, Update& u);
  std::string_view intern_via(std::string_view via);

  std::vector<Origin> origins_;  // in the order first met (a handful)
  mutable size_t last_origin_ = 0;  // where origin_of found one last (a hint only)
  TxIdMap<TxIndex> index_;      // the ids outside origins_' arrays; never walked (tx_id_map.h)
  TxIndex last_index_ = kNoTx;  // the index index() gave last
  std::vector<TxId> ids_;        // by index
  std::vector<TxIndex> txn_at_;  // by index: the position of its record in txns_, or kNoTx
  Txns txns_;                    // a new record moves none of the others (they are large)
  std::vector<bool> down_;       // by node
  std::vector<Instant> last_crash_;  // by node
  std::deque<std::string> vias_;     // the outcome ways seen (a handful)
  std::vector<char> in_doubt_mark_;  // scratch for on_recovered, by index
};

// The ledger of one run, shared by its checks: the model, and what the last event applied
// to it changed. It has one writer, its keeper (LedgerKeeper, make_ledger_keeper in
// checks.h): a subscriber of its own, added to the run before the checks, shown each event
// of TxLedger::event_kinds() once, whichever checks are enabled. The checks only read it:
// at each event they are shown, the ledger is up to date and update() says what the event
// changed. A check made without a shared ledger comes with a keeper of its own
// (make_ledger_check below).
class SharedTxLedger {
 public:
  const TxLedger& ledger() const { return ledger_; }
  // What event `o` changed in the ledger: empty for an event the keeper was not shown (a
  // kind the ledger does not read). Events are told apart by their sequence number.
  const TxLedger::Update& update(const Observation& o) const { return o.seq == applied_seq_ ? last_ : none_; }
  // The index of a transaction a check meets outside the events (a message it counts): it
  // may give one, and changes no record.
  TxIndex index(const TxId& id) { return ledger_.index(id); }

 private:
  friend class LedgerKeeper;
  void apply(const Observation& o) {
    ledger_.observe(o, last_);
    applied_seq_ = o.seq;
  }

  TxLedger ledger_;
  TxLedger::Update last_;
  const TxLedger::Update none_{};  // what an event the ledger does not read changes
  uint64_t applied_seq_ = std::numeric_limits<uint64_t>::max();  // the event last_ is of (none yet)
};

// The keeper of a shared ledger: shows it every event it is shown, before any check reads
// it. Never reports, measures nothing.
class LedgerKeeper final : public Checker {
 public:
  explicit LedgerKeeper(std::shared_ptr<SharedTxLedger> ledger) : shared_(std::move(ledger)) {}
  std::string_view name() const override { return "tx_ledger"; }
  std::vector<const PayloadKind*> event_kinds() const override { return TxLedger::event_kinds(); }
  void observe(const Observation& o, CheckerView&) override { shared_->apply(o); }

 private:
  std::shared_ptr<SharedTxLedger> shared_;
};

// A check that reads the run's shared ledger.
class LedgerChecker : public Checker {
 public:
  explicit LedgerChecker(std::shared_ptr<SharedTxLedger> ledger) : shared_(std::move(ledger)) {}

  std::vector<const PayloadKind*> event_kinds() const final { return own_event_kinds(); }

 private:
  std::shared_ptr<SharedTxLedger> shared_;

 protected:
  // The kinds of event the check reads; empty (the default): every event.
  virtual std::vector<const PayloadKind*> own_event_kinds() const { return {}; }

  // What this event changed in the ledger (its keeper applied it already).
  const TxLedger::Update& update_ledger(const Observation& o) const { return shared_->update(o); }
  TxIndex index(const TxId& id) { return shared_->index(id); }

  const TxLedger& ledger_ = shared_->ledger();
};

// `check` (named by it) preceded by `keeper`, the keeper of the ledger only it reads: a
// check made alone. Shows the keeper every event it is shown (the ledger ignores the kinds
// it does not read), then the check those of its own kinds (as a run with a shared ledger
// shows it); asks for the check's kinds and the ledger's.
std::unique_ptr<Checker> with_own_keeper(std::unique_ptr<Checker> keeper, std::unique_ptr<Checker> check);

// A check of type C (a LedgerChecker made from `args..., ledger`) that reads `ledger`, kept
// by the ledger's keeper elsewhere; with no ledger, the check with a ledger and keeper of
// its own.
template <typename C, typename... Args>
std::unique_ptr<Checker> make_ledger_check(std::shared_ptr<SharedTxLedger> ledger, Args&&... args) {
  if (ledger) return std::make_unique<C>(std::forward<Args>(args)..., std::move(ledger));
  auto own = std::make_shared<SharedTxLedger>();
  return with_own_keeper(std::make_unique<LedgerKeeper>(own), std::make_unique<C>(std::forward<Args>(args)..., own));
}

// State a check keeps per transaction: an array by TxIndex, grown on first use.
template <typename T>
class PerTx {
 public:
  T& operator[](TxIndex i) {
    if (i >= items_.size()) items_.resize(std::max<size_t>(i + 1, items_.size() * 2));
    return items_[i];
  }
  // The item of `i`; a default one when `i` has none yet.
  const T& get(TxIndex i) const {
    static const T kNone{};
    return i < items_.size() ? items_[i] : kNone;
  }
  const std::vector<T>& all() const { return items_; }  // by index, with defaults between
  std::vector<T>& all() { return items_; }

 private:
  std::vector<T> items_;
};

// "tx c.0.3 at p1, p2" style helpers for violation messages.
std::string node_list(const Cluster& cluster, const std::vector<NodeId>& nodes);
std::vector<std::string> node_names(const Cluster& cluster, const std::vector<NodeId>& nodes);

}  // namespace dsim::twopc
