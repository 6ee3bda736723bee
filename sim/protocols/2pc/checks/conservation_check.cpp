// Conservation: transfers move money, never make or destroy it. The checker keeps each
// participant's committed total (from its opening balances, its commits and what it
// recovers after a restart). A transfer committed at some writers and still undecided at
// others is in flight and excused; once a writer aborted or forgot its side, it is not.
// So at every step: sum of committed totals - in-flight amounts = the opening total.
// Every committed audit (a read of all accounts under locks) must also see that total.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

template <typename Map>
int64_t sum_values(const Map& values) {
  int64_t total = 0;
  for (const auto& [key, value] : values) total += value;
  return total;
}

class ConservationCheck final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "conservation"; }
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::OutcomeApplied, ev::Open, ev::ParticipantRecovered, ev::TxResult>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (!o.from_protocol || reported_) return;
    if (const auto* e = o.as<ev::OutcomeApplied>()) {
      if (e->outcome == Outcome::kCommit) {
        int64_t delta = sum_values(*e->deltas);
        node_total(o.node) += delta;
        committed_total_ += delta;
        applied(u.tx, o.node) += delta;
      }
      refresh(u.tx);
      judge(o, view, &e->tx);
    } else if (const auto* e = o.as<ev::Open>()) {
      int64_t total = sum_values(*e->balances);
      opening_total_ += total;
      set_node_total(o.node, total);
    } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
      set_node_total(o.node, sum_values(*e->balances));
      for (TxIndex i : u.reopened) {
        unapply(i, o.node);
        refresh(i);
      }
      judge(o, view, nullptr);
    } else if (const auto* e = o.as<ev::TxResult>()) {
      if (e->audit_total && *e->audit_total != opening_total_) report_audit(o, *e, view);
    }
  }

  void write_metrics(Json& out) const override {
    out["opening_total"] = opening_total_;
    out["committed_total_at_end"] = committed_total();
  }

 private:
  int64_t& node_total(NodeId n) {
    if (n >= node_total_.size()) node_total_.resize(n + 1, 0);
    return node_total_[n];
  }
  void set_node_total(NodeId n, int64_t total) {
    int64_t& t = node_total(n);
    committed_total_ += total - t;
    t = total;
  }
  int64_t committed_total() const { return committed_total_; }

  // What each writer's commit changed, per transaction: a flat list of plain records, each
  // transaction's chained in the order they were made (a handful), as decided_then_executed
  // keeps its branches: growing the list copies plain records, none is freed on its own.
  struct Applied {
    NodeId writer;
    bool live;      // false: a restart undid it (its commit record did not survive)
    uint32_t next;  // the transaction's next record, kEnd for none
    int64_t delta;
  };
  static constexpr uint32_t kEnd = 0;  // records are numbered from 1 (record r at r - 1)

  // The delta of `writer` in `i`, made (0) if it has none.
  int64_t& applied(TxIndex i, NodeId writer) {
    uint32_t& head = applied_head_[i];
    uint32_t last = kEnd;
    for (uint32_t r = head; r != kEnd; r = applied_[r - 1].next) {
      Applied& a = applied_[r - 1];
      if (a.writer == writer) {
        if (!a.live) a = Applied{writer, true, a.next, 0};
        return a.delta;
      }
      last = r;
    }
    applied_.push_back(Applied{writer, true, kEnd, 0});
    const uint32_t r = static_cast<uint32_t>(applied_.size());
    (last == kEnd ? head : applied_[last - 1].next) = r;
    return applied_.back().delta;
  }
  void unapply(TxIndex i, NodeId writer) {
    for (uint32_t r = applied_head_.get(i); r != kEnd; r = applied_[r - 1].next) {
      if (applied_[r - 1].writer == writer) applied_[r - 1] = Applied{writer, false, applied_[r - 1].next, 0};
    }
  }
  bool any_applied(TxIndex i) const {
    for (uint32_t r = applied_head_.get(i); r != kEnd; r = applied_[r - 1].next) {
      if (applied_[r - 1].live) return true;
    }
    return false;
  }

  // Keeps `open_` = transactions applied at some writer but not (yet) at all of them.
  void refresh(TxIndex i) {
    const TxLedger::Txn* t = ledger_.find(i);
    if (t == nullptr || !any_applied(i)) {
      set_open(i, false);
      return;
    }
    bool all = !t->writers.empty();
    for (NodeId w : t->writers) {
      const TxLedger::Part* p = t->part(w);
      all = all && p != nullptr && p->state == TxLedger::State::kCommitted;
    }
    set_open(i, !all);
  }

  // open_ is a set kept as a list, and each transaction's place in it plus one (0: not in).
  void set_open(TxIndex i, bool open) {
    uint32_t& place = open_place_[i];
    if (open == (place != 0)) return;
    if (open) {
      open_.push_back(i);
      place = static_cast<uint32_t>(open_.size());
      return;
    }
    TxIndex last = open_.back();
    open_[place - 1] = last;
    open_place_[last] = place;
    open_.pop_back();
    place = 0;
  }

  bool broken(const TxLedger::Txn& t) const {
    for (NodeId w : t.writers) {
      const TxLedger::Part* p = t.part(w);
      if (p == nullptr) continue;
      if (p->state == TxLedger::State::kAborted || p->state == TxLedger::State::kLost) return true;
    }
    return false;
  }

  // After o.node decided `decided`, or (null) recovered.
  void judge(const Observation& o, CheckerView& view, const TxId* decided) {
    int64_t total = committed_total();
    int64_t in_flight = 0;
    for (TxIndex i : open_) {
      if (!broken(*ledger_.find(i))) in_flight += amount(i);
    }
    if (total - in_flight != opening_total_) report_imbalance(o, view, decided, total, in_flight);
  }

  [[gnu::cold, gnu::noinline]] void report_imbalance(const Observation& o, CheckerView& view, const TxId* decided,
                                                     int64_t total, int64_t in_flight) {
    // The half-applied transfers, named in the order of their ids' text.
    std::vector<TxIndex> half;
    for (TxIndex i : open_) {
      if (broken(*ledger_.find(i)) && amount(i) != 0) half.push_back(i);
    }
    std::sort(half.begin(), half.end(),
              [this](TxIndex a, TxIndex b) { return TxId::text_less(ledger_.id_of(a), ledger_.id_of(b)); });
    Json broken_txs = Json::array();
    for (TxIndex i : half) broken_txs.push_back(json_object("tx", ledger_.id_of(i).str(), "unmatched", amount(i)));
    Json details = json_object("committed_total", total,
                               "in_flight", in_flight,
                               "expected", opening_total_,
                               "half_applied", broken_txs);
    std::vector<NodeId> involved = {o.node};
    std::string culprit;
    if (!half.empty()) {
      // Name the first half-applied transfer and everyone who took part in it.
      const std::string id = ledger_.id_of(half.front()).str();
      details["tx"] = id;
      culprit = " (" + id + " is half applied)";
      for (NodeId p : ledger_.find(half.front())->participants) {
        if (p != o.node) involved.push_back(p);
      }
    }
    std::string when = "after " + view.cluster().name(o.node) +
                       (decided != nullptr ? " decided " + decided->str() : std::string(" recovered"));
    report(view, involved,
           when + ", committed balances total " + std::to_string(total - in_flight) + " (excluding " +
               std::to_string(in_flight) + " in flight), not " + std::to_string(opening_total_) + culprit,
           std::move(details));
  }

  int64_t amount(TxIndex i) const {
    int64_t sum = 0;
    for (uint32_t r = applied_head_.get(i); r != kEnd; r = applied_[r - 1].next) sum += applied_[r - 1].delta;
    return sum;
  }

  [[gnu::cold, gnu::noinline]] void report_audit(const Observation& o, const ev::TxResult& e, CheckerView& view) {
    const int64_t seen = *e.audit_total;
    std::string tx = e.tx.str();
    report(view, {o.node}, "audit " + (e.timed_out ? std::string("?") : tx) + " read a total of " +
                              std::to_string(seen) + ", not " + std::to_string(opening_total_),
           json_object("tx", tx,
                       "audit_total", seen,
                       "expected", opening_total_));
  }

  [[gnu::cold, gnu::noinline]] void report(CheckerView& view, const std::vector<NodeId>& nodes, std::string message,
                                           Json details) {
    reported_ = true;
    Violation v;
    v.check = "conservation";
    v.at = view.now();
    v.nodes = node_names(view.cluster(), nodes);
    v.message = std::move(message);
    v.details = std::move(details);
    view.report(std::move(v));
  }

  int64_t opening_total_ = 0;
  std::vector<int64_t> node_total_;      // by node
  int64_t committed_total_ = 0;          // their sum
  PerTx<uint32_t> applied_head_;         // each transaction's first record (kEnd: none)
  std::vector<Applied> applied_;
  std::vector<TxIndex> open_;            // in no order: named in text order when reported
  PerTx<uint32_t> open_place_;
  bool reported_ = false;
};

}  // namespace

std::unique_ptr<Checker> make_conservation_check(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<ConservationCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
