// decided_then_executed: the hanging transaction (a "rollback that overtakes the branch
// start"; Seata's suspension, DTM's hanging). Two ways to fail:
//   - executed: a participant executes its branch (executed ok) after it was told the
//     transaction's outcome (an unknown_decision, or an outcome it applied), in any
//     incarnation: the rollback it acknowledged did not stop the late branch;
//   - holding: at the end of a run that ran to the end, a branch that never prepared
//     (working or executed) at a running, unpaused node still holds its locks `bound`
//     after its coordinator decided the transaction: nothing will ever finish it.
// A branch that starts after the decision without having been told (the abort was lost)
// is no violation by itself: only a bound on its wait (work_timeout) can end it, and the
// second rule judges that.
// Metrics: lock time held after the coordinator's decision, per branch that held any
// (decided_lock_hold_ns) and in total; branches that started after the decision
// (hanging_branches) and their lock time (hanging_lock_hold_ns).
#include <algorithm>
#include <set>
#include <vector>

#include "check/sample_stats.h"
#include "core/fault_events.h"
#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

// One participant's locks for one transaction.
struct Hold {
  Instant since;
  bool open = false;
  bool hanging = false;  // it started after its coordinator decided
};

class DecidedThenExecutedCheck final : public LedgerChecker {
 public:
  DecidedThenExecutedCheck(Duration bound, std::shared_ptr<SharedTxLedger> ledger)
      : LedgerChecker(std::move(ledger)), bound_(bound) {}
  std::string_view name() const override { return "decided_then_executed"; }
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::OutcomeApplied, ev::UnknownDecision, ev::Work, ev::Executed, ev::VoteCast,
                    ev::ParticipantRecovered, fault_events::Crash, fault_events::Pause, fault_events::Resume>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (!o.from_protocol) {
      if (o.event == "crash") {
        paused_.erase(o.node);
        close_all(o.node, o.at);  // its locks were in memory
      } else if (o.event == "pause") {
        paused_.insert(o.node);
      } else if (o.event == "resume") {
        paused_.erase(o.node);
      }
      return;
    }
    if (o.as<ev::OutcomeApplied>() != nullptr) {
      told(u.tx, o);
      close(u.tx, o.node, o.at);
    } else if (o.as<ev::UnknownDecision>() != nullptr) {
      told(u.tx, o);
    } else if (o.as<ev::Work>() != nullptr) {
      open(u.tx, o.node, o.at);
    } else if (const auto* e = o.as<ev::Executed>()) {
      if (e->ok) judge_executed(u.tx, o, view);
    } else if (const auto* e = o.as<ev::VoteCast>()) {
      if (e->vote == VoteValue::kReadOnly) close(u.tx, o.node, o.at);
    } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
      for (const TxId& id : *e->in_doubt) open(ledger_.index_of(id), o.node, o.at);  // locks taken again
    }
  }

  // The end the metrics count open holds up to: when the run stopped (its end time, or at
  // a violation the time of the event that reported it: no check of this family reports
  // from a network event, so no event it did not see comes later).
  void stopped(CheckerView& view) override { end_ = view.now(); }

  void finish(CheckerView& view) override {
    if (!view.ran_to_end() || reported_) return;
    for (const TxLedger::Txn& txn : ledger_.txns()) {
      const TxLedger::Txn* t = &txn;
      const TxId& id = t->id;
      if (t->coordinator_decided_at == Instant::max()) continue;
      for (uint32_t e = branch_head_.get(t->index); e != kEnd; e = branches_[e - 1].next) {
        const NodeId node = branches_[e - 1].node;
        const Hold& b = branches_[e - 1].hold;
        if (!b.open || !view.node_up(node) || paused_.count(node) != 0) continue;
        const TxLedger::Part* part = t->part(node);
        if (part == nullptr) continue;
        TxLedger::State s = part->state;
        if (s != TxLedger::State::kWorking && s != TxLedger::State::kExecuted) continue;
        Instant from = std::max(b.since, t->coordinator_decided_at);
        if (view.now() - from < bound_) continue;
        const Cluster& c = view.cluster();
        Violation v;
        v.check = "decided_then_executed";
        v.at = view.now();
        v.nodes = {c.name(node)};
        v.message = "transaction " + id.str() + " was decided " + (*t->coordinator_commit ? "commit" : "abort") +
                    " at " + format_duration(Duration{t->coordinator_decided_at.ns}) + " but " + c.name(node) +
                    " still holds its locks (" + TxLedger::to_string(s) + " since " +
                    format_duration(Duration{b.since.ns}) + ", never prepared); bound " + format_duration(bound_);
        v.details = json_object("tx", id.str(), "rule", "holding", "participant", c.name(node),
                                "decided_at_ns", t->coordinator_decided_at.ns, "locked_since_ns", b.since.ns,
                                "bound_ns", bound_.ns);
        view.report(std::move(v));
        reported_ = true;
        return;
      }
    }
  }

  void write_metrics(Json& out) const override {
    std::vector<int64_t> after_decision = samples_;
    std::vector<int64_t> hanging = hanging_samples_;
    int64_t hanging_count = hanging_count_;
    // Branches still holding at the end count up to the end.
    const Instant end = end_;  // (zero when never stopped: no hold is counted below zero)
    for (const TxLedger::Txn& txn : ledger_.txns()) {
      const TxLedger::Txn* t = &txn;
      for (uint32_t e = branch_head_.get(t->index); e != kEnd; e = branches_[e - 1].next) {
        const Hold& b = branches_[e - 1].hold;
        if (!b.open) continue;
        int64_t held = after(t, b.since, end);
        if (held > 0) after_decision.push_back(held);
        if (b.hanging) hanging.push_back((std::max(end, b.since) - b.since).ns);  // (0 if never stopped)
      }
    }
    int64_t total = 0;
    for (int64_t v : after_decision) total += v;
    out["decided_lock_hold_ns"] = summarize_samples(std::move(after_decision));
    out["decided_lock_hold_total_ns"] = total;
    out["hanging_branches"] = hanging_count;
    out["hanging_lock_hold_ns"] = summarize_samples(std::move(hanging));
    out["executed_after_told"] = executed_after_told_;
  }

 private:
  // Per transaction, per participant (a handful): when it was first told the outcome, and
  // its locks. Kept in two flat lists of plain records, each transaction's entries chained
  // in the order they were made (finish() reports the first branch, in the order the locks
  // were first taken, that still holds): growing a list copies plain records, and none is
  // freed on its own.
  struct Told {
    NodeId node;
    uint32_t next;  // the transaction's next entry, kEnd for none
    Instant at;
  };
  struct Branch {
    TxIndex tx;
    NodeId node;
    uint32_t next;
    Hold hold;
  };
  static constexpr uint32_t kEnd = 0;  // entries are numbered from 1 (entry e at e - 1)

  // The entry of `node` in the chain that starts at `head` (kEnd: none), or kEnd; `last`
  // is set to the chain's last entry (kEnd for an empty chain).
  template <typename Entry>
  static uint32_t find(const std::vector<Entry>& list, uint32_t head, NodeId node, uint32_t& last) {
    last = kEnd;
    for (uint32_t e = head; e != kEnd; e = list[e - 1].next) {
      if (list[e - 1].node == node) return e;
      last = e;
    }
    return kEnd;
  }
  // Adds `entry` at the end of the transaction's chain (`head`, whose last entry is `last`).
  template <typename Entry>
  static uint32_t append(std::vector<Entry>& list, uint32_t& head, uint32_t last, Entry entry) {
    list.push_back(entry);
    const uint32_t e = static_cast<uint32_t>(list.size());
    (last == kEnd ? head : list[last - 1].next) = e;
    return e;
  }

  // The part of [from, to) after the coordinator's decision.
  static int64_t after(const TxLedger::Txn* t, Instant from, Instant to) {
    if (t == nullptr || t->coordinator_decided_at == Instant::max()) return 0;
    Instant a = std::max(from, t->coordinator_decided_at);
    return to > a ? (to - a).ns : 0;
  }

  void told(TxIndex tx, const Observation& o) {
    uint32_t& head = told_head_[tx];
    uint32_t last;
    if (find(told_, head, o.node, last) == kEnd) append(told_, head, last, Told{o.node, kEnd, o.at});
  }

  void open(TxIndex tx, NodeId node, Instant at) {
    uint32_t& head = branch_head_[tx];
    uint32_t last;
    uint32_t e = find(branches_, head, node, last);
    if (e == kEnd) e = append(branches_, head, last, Branch{tx, node, kEnd, Hold{}});
    Hold& h = branches_[e - 1].hold;
    if (h.open) return;
    h.open = true;
    h.since = at;
    const TxLedger::Txn* t = ledger_.find(tx);
    h.hanging = t != nullptr && t->coordinator_decided_at <= at;
    hanging_count_ += h.hanging;
  }

  void close(TxIndex tx, NodeId node, Instant at) {
    uint32_t last;
    const uint32_t e = find(branches_, branch_head_.get(tx), node, last);
    if (e == kEnd || !branches_[e - 1].hold.open) return;
    settle(ledger_.find(tx), branches_[e - 1].hold, at);
  }

  void close_all(NodeId node, Instant at) {
    // Any order: each hold settles on its own (the samples are summarized, not listed).
    for (Branch& b : branches_) {
      if (b.node == node && b.hold.open) settle(ledger_.find(b.tx), b.hold, at);
    }
  }

  void settle(const TxLedger::Txn* t, Hold& h, Instant at) {
    h.open = false;
    int64_t held = after(t, h.since, at);
    if (held > 0) samples_.push_back(held);
    if (h.hanging) hanging_samples_.push_back((at - h.since).ns);
  }

  void judge_executed(TxIndex i, const Observation& o, CheckerView& view) {
    uint32_t last;
    const uint32_t e = find(told_, told_head_.get(i), o.node, last);
    if (e == kEnd || told_[e - 1].at > o.at) return;
    ++executed_after_told_;
    if (!reported_) report_executed(i, o, told_[e - 1].at, view);
  }

  [[gnu::cold, gnu::noinline]] void report_executed(TxIndex i, const Observation& o, Instant told_at,
                                                    CheckerView& view) {
    reported_ = true;
    const Cluster& c = view.cluster();
    const TxLedger::Txn* t = ledger_.find(i);
    const TxId& tx = ledger_.id_of(i);
    Violation v;
    v.check = "decided_then_executed";
    v.at = o.at;
    v.nodes = {c.name(o.node)};
    if (t != nullptr && t->coordinator != kNoNode) v.nodes.push_back(c.name(t->coordinator));
    v.message = "transaction " + tx.str() + ": " + c.name(o.node) + " executed its branch at " +
                format_duration(Duration{o.at.ns}) + " after it was told the outcome at " +
                format_duration(Duration{told_at.ns}) + " (a rollback that overtook the branch start)";
    v.details = json_object("tx", tx.str(), "rule", "executed", "participant", c.name(o.node),
                            "told_at_ns", told_at.ns, "executed_at_ns", o.at.ns);
    view.report(std::move(v));
  }

  Duration bound_;
  // Walked only through the ledger's order (or in any order, where order does not matter).
  PerTx<uint32_t> told_head_, branch_head_;  // each transaction's first entry (kEnd: none)
  std::vector<Told> told_;
  std::vector<Branch> branches_;
  std::set<NodeId> paused_;
  std::vector<int64_t> samples_, hanging_samples_;
  int64_t hanging_count_ = 0, executed_after_told_ = 0;
  Instant end_ = Instant::zero();  // when the run stopped (stopped())
  bool reported_ = false;
};

}  // namespace

std::unique_ptr<Checker> make_decided_then_executed_check(Duration bound, std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<DecidedThenExecutedCheck>(std::move(ledger), bound);
}

}  // namespace dsim::twopc
