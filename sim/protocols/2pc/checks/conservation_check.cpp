// Conservation: transfers move money, never make or destroy it. The checker keeps each
// participant's committed total (from its opening balances, its commits and what it
// recovers after a restart). A transfer committed at some writers and still undecided at
// others is in flight and excused; once a writer aborted or forgot its side, it is not.
// So at every step: sum of committed totals - in-flight amounts = the opening total.
// Every committed audit (a read of all accounts under locks) must also see that total.
#include <map>
#include <set>
#include <unordered_map>

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

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o, view);
    if (!o.from_protocol || reported_) return;
    if (const auto* e = o.as<ev::OutcomeApplied>()) {
      const TxId& id = e->tx;
      auto& applied = applied_[id];
      if (e->outcome == Outcome::kCommit) {
        int64_t delta = sum_values(*e->deltas);
        node_total_[o.node] += delta;
        applied[o.node] += delta;
      }
      refresh(id);
      judge(o, view, &id);
    } else if (const auto* e = o.as<ev::Open>()) {
      int64_t total = sum_values(*e->balances);
      opening_total_ += total;
      node_total_[o.node] = total;
    } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
      node_total_[o.node] = sum_values(*e->balances);
      for (const TxId& id : u.reopened) {
        applied_[id].erase(o.node);
        refresh(id);
      }
      judge(o, view, nullptr);
    } else if (const auto* e = o.as<ev::TxResult>()) {
      if (!e->audit_total) return;
      int64_t seen = *e->audit_total;
      if (seen != opening_total_) {
        std::string tx = e->tx.str();
        report(view, {o.node}, "audit " + (e->timed_out ? std::string("?") : tx) + " read a total of " +
                                  std::to_string(seen) + ", not " + std::to_string(opening_total_),
               json_object("tx", tx,
                           "audit_total", seen,
                           "expected", opening_total_));
      }
    }
  }

  void write_metrics(Json& out) const override {
    out["opening_total"] = opening_total_;
    int64_t total = 0;
    for (const auto& [n, t] : node_total_) total += t;
    out["committed_total_at_end"] = total;
  }

 private:
  // Keeps `open_` = transactions applied at some writer but not (yet) at all of them.
  void refresh(const TxId& id) {
    const TxLedger::Txn* t = ledger_.find(id);
    auto it = applied_.find(id);
    if (t == nullptr || it == applied_.end() || it->second.empty()) {
      open_.erase(id);
      return;
    }
    bool all = !t->writers.empty();
    for (NodeId w : t->writers) {
      auto p = t->parts.find(w);
      all = all && p != t->parts.end() && p->second.state == TxLedger::State::kCommitted;
    }
    if (all) {
      open_.erase(id);
    } else {
      open_.insert(id);
    }
  }

  bool broken(const TxLedger::Txn& t) const {
    for (NodeId w : t.writers) {
      auto p = t.parts.find(w);
      if (p == t.parts.end()) continue;
      if (p->second.state == TxLedger::State::kAborted || p->second.state == TxLedger::State::kLost) return true;
    }
    return false;
  }

  // After o.node decided `decided`, or (null) recovered.
  void judge(const Observation& o, CheckerView& view, const TxId* decided) {
    int64_t total = 0;
    for (const auto& [n, t] : node_total_) total += t;
    int64_t in_flight = 0;
    Json broken_txs = Json::array();
    const TxId* first_broken = nullptr;
    for (const TxId& id : open_) {
      int64_t amount = 0;
      for (const auto& [n, d] : applied_.at(id)) amount += d;
      if (broken(*ledger_.find(id))) {
        if (amount != 0) {
          broken_txs.push_back(json_object("tx", id.str(), "unmatched", amount));
          if (first_broken == nullptr) first_broken = &id;
        }
      } else {
        in_flight += amount;
      }
    }
    if (total - in_flight == opening_total_) return;
    Json details = json_object("committed_total", total,
                               "in_flight", in_flight,
                               "expected", opening_total_,
                               "half_applied", broken_txs);
    std::vector<NodeId> involved = {o.node};
    std::string culprit;
    if (first_broken != nullptr) {
      // Name the first half-applied transfer and everyone who took part in it.
      const std::string id = first_broken->str();
      details["tx"] = id;
      culprit = " (" + id + " is half applied)";
      for (NodeId p : ledger_.find(*first_broken)->participants) {
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

  void report(CheckerView& view, const std::vector<NodeId>& nodes, std::string message, Json details) {
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
  std::map<NodeId, int64_t> node_total_;
  std::unordered_map<TxId, std::map<NodeId, int64_t>, TxIdHash> applied_;  // tx -> writer -> delta
  std::set<TxId, TxId::by_text> open_;  // in text order: the first half-applied one is named
  bool reported_ = false;
};

}  // namespace

std::unique_ptr<Checker> make_conservation_check(std::shared_ptr<SharedTxLedger> ledger) {
  return std::make_unique<ConservationCheck>(std::move(ledger));
}

}  // namespace dsim::twopc
