// The measurements the summary reports for a 2PC run. An observer: it never fails.
//   in_doubt_ns          yes vote -> outcome, per participant and overall
//   lock_hold_prepared_ns the same span minus the time the participant was down
//   blocked_at_end       transactions with a running participant still prepared at the end
//   commit_latency       per committed transaction, along its longest causal chain: message
//                        delays and forced writes from the commit protocol's first message
//                        to the last participant's outcome; and its duration in time
//   messages_per_tx, forced_writes_per_tx, recovery_ns, heuristic outcomes (and how many
//   disagreed with another participant), client outcomes, throughput and abort rate.
#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "check/sample_stats.h"
#include "core/fault_events.h"
#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc {
namespace {

class MetricsObserver final : public LedgerChecker {
 public:
  using LedgerChecker::LedgerChecker;
  std::string_view name() const override { return "metrics"; }
  std::vector<const PayloadKind*> own_event_kinds() const override {
    return kinds_of<ev::OutcomeApplied, ev::Log, ev::Accepted, ev::TxResult, ev::ParticipantRecovered,
                    ev::CoordinatorRecovered, ev::End, fault_events::Crash, fault_events::Restart>();
  }
  bool wants_network_events() const override { return true; }

  void observe(const Observation& o, CheckerView& view) override {
    cluster_ = &view.cluster();
    if (!o.from_protocol && o.node != kNoNode) {
      ByNode& n = node(o.node);
      if (o.event == "crash") n.down_since = o.at;
      if (o.event == "restart" && n.down_since != Instant::max()) {
        n.downtime.push_back({n.down_since, o.at});
        n.down_since = Instant::max();
      }
    }
    const TxLedger::Update& u = update_ledger(o);
    if (!o.from_protocol) return;
    if (const auto* e = o.as<ev::OutcomeApplied>()) {
      on_outcome(o, u, *e, u.prior && u.prior->state == TxLedger::State::kPrepared);
    } else if (const auto* e = o.as<ev::Log>()) {
      if (e->forced) ++forced_[u.tx];
    } else if (o.as<ev::Accepted>() != nullptr) {
      ++forced_[u.tx];
    } else if (const auto* e = o.as<ev::TxResult>()) {
      on_result(*e);
    } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
      on_recovered(o, *e->in_doubt, nullptr);
    } else if (const auto* e = o.as<ev::CoordinatorRecovered>()) {
      on_recovered(o, *e->collecting, e->decisions);
    } else if (o.as<ev::End>() != nullptr) {
      settle_recovery(o.node, u.tx, o.at);
    }
  }

  void observe_network(const NetworkEvent& e, CheckerView&) override {
    if (e.event != "send") return;
    if (const TxId* tx = msg::tx_of(e.message)) ++messages_[index(*tx)];
  }

  // The end the throughput is counted to: when the run stopped (its end time, or at a
  // violation the time of the event that reported it: no check of this family reports
  // from a network event, so no event it did not see comes later).
  void stopped(CheckerView& view) override {
    cluster_ = &view.cluster();
    end_ = view.now();
  }

  void write_metrics(Json& out) const override {
    Json per = Json::object();
    std::vector<int64_t> all;
    for (NodeId node = 0; node < nodes_.size(); ++node) {  // in node order, as a std::map's
      const std::vector<int64_t>& samples = nodes_[node].in_doubt;
      if (samples.empty()) continue;
      Json s = summarize_samples(samples);
      per[cluster_->name(node)] = json_object("count", s["count"],
                                              "max", s.value("max", int64_t{0}),
                                              "p99", s.value("p99", int64_t{0}));
      all.insert(all.end(), samples.begin(), samples.end());
    }
    out["in_doubt_ns"] = summarize_samples(std::move(all));
    out["in_doubt_ns_per_participant"] = per;
    out["lock_hold_prepared_ns"] = summarize_samples(lock_hold_);
    end_state(out);
    commit_latency(out);
    std::vector<int64_t> msgs, forced;
    msgs.reserve(messages_.all().size());
    for (int64_t n : messages_.all()) {
      if (n != 0) msgs.push_back(n);  // the transactions some message named
    }
    forced.reserve(ledger_.txns().size());
    for (const TxLedger::Txn& t : ledger_.txns()) forced.push_back(forced_.get(t.index));
    out["messages_per_tx"] = summarize_samples(std::move(msgs));
    out["forced_writes_per_tx"] = summarize_samples(std::move(forced));
    out["recovery_ns"] = summarize_samples(recovery_);
    out["recoveries_unfinished"] = recovering_;
    heuristics(out);
    double seconds = static_cast<double>(end_.ns) / 1e9;
    out["client"] = json_object("committed", committed_,
                                "aborted", aborted_,
                                "unknown", unknown_,
                                "latency_ns", summarize_samples(client_latency_));
    out["throughput_per_s"] = seconds > 0 ? static_cast<double>(committed_) / seconds : 0.0;
    out["abort_rate"] = committed_ + aborted_ > 0
                            ? static_cast<double>(aborted_) / static_cast<double>(committed_ + aborted_)
                            : 0.0;
  }

 private:
  using Interval = std::pair<Instant, Instant>;

  // What it keeps per node.
  struct ByNode {
    std::vector<int64_t> in_doubt;  // its in-doubt times
    Instant down_since = Instant::max();  // crashed and not restarted (max: up)
    std::vector<Interval> downtime;
    // Restarted and still settling `waiting` (ascending), since `recovering_since`.
    bool recovering = false;
    Instant recovering_since;
    std::vector<TxIndex> waiting;
  };

  Duration downtime_between(NodeId n, Instant from, Instant to) const {
    Duration d = Duration::zero();
    if (n >= nodes_.size()) return d;
    for (const Interval& i : nodes_[n].downtime) {
      Instant a = std::max(i.first, from), b = std::min(i.second, to);
      if (b > a) d += b - a;
    }
    return d;
  }

  void on_outcome(const Observation& o, const TxLedger::Update& u, const ev::OutcomeApplied& e, bool was_pending) {
    const TxLedger::Part& p = *u.txn->part(o.node);
    if (was_pending && p.prepared_at != Instant::max()) {
      node(o.node).in_doubt.push_back((o.at - p.prepared_at).ns);
      lock_hold_.push_back((o.at - p.prepared_at - downtime_between(o.node, p.prepared_at, o.at)).ns);
    }
    if (e.outcome == Outcome::kCommit) {
      Chain& c = chains_[u.tx];
      c.committed = true;
      c.hops = std::max(c.hops, e.hops);
      c.forces = std::max(c.forces, e.forces);
      c.last = o.at;
    }
    count_via(p.via);
    settle_recovery(o.node, u.tx, o.at);
  }

  void on_result(const ev::TxResult& e) {
    if (e.outcome == "commit") {
      ++committed_;
      client_latency_.push_back(e.latency_ns);
    } else if (e.outcome == "abort") {
      ++aborted_;
    } else {
      ++unknown_;
    }
  }

  // A restart, and the transactions it must settle: a participant's in doubt, or a
  // coordinator's logged decisions (`decisions`) and open collecting records.
  void on_recovered(const Observation& o, const std::vector<TxId>& ids,
                    const std::vector<std::pair<TxId, Outcome>>* decisions) {
    std::vector<TxIndex> waiting;
    for (const TxId& id : ids) waiting.push_back(ledger_.index_of(id));
    if (decisions != nullptr) {
      for (const auto& [id, d] : *decisions) waiting.push_back(ledger_.index_of(id));
    }
    std::sort(waiting.begin(), waiting.end());
    waiting.erase(std::unique(waiting.begin(), waiting.end()), waiting.end());
    ByNode& n = node(o.node);
    recovering_ -= n.recovering;
    n.recovering = !waiting.empty();
    recovering_ += n.recovering;
    if (!n.recovering) {
      recovery_.push_back(0);
      n.waiting.clear();
      return;
    }
    n.recovering_since = o.at;
    n.waiting = std::move(waiting);
  }

  void settle_recovery(NodeId id, TxIndex tx, Instant at) {
    if (recovering_ == 0 || id >= nodes_.size() || !nodes_[id].recovering) return;
    ByNode& n = nodes_[id];
    auto w = std::lower_bound(n.waiting.begin(), n.waiting.end(), tx);
    if (w == n.waiting.end() || *w != tx) return;
    n.waiting.erase(w);
    if (!n.waiting.empty()) return;
    recovery_.push_back((at - n.recovering_since).ns);
    n.recovering = false;
    --recovering_;
  }

  ByNode& node(NodeId n) {
    if (n >= nodes_.size()) nodes_.resize(n + 1);
    return nodes_[n];
  }

  // Counts an outcome's way: `via` is the ledger's interned text, so the same way is the
  // same pointer (a handful of ways; looked up per outcome).
  void count_via(std::string_view via) {
    for (auto& [text, count] : via_) {
      if (text.data() == via.data()) {
        ++count;
        return;
      }
    }
    via_.emplace_back(via, 1);
  }

  void end_state(Json& out) const {
    int64_t blocked = 0, undecided = 0;
    for (const TxLedger::Txn& t : ledger_.txns()) {
      bool prepared = false, pending = false;
      for (const auto& [p, part] : t.parts) {
        if (!ledger_.node_up(p)) continue;
        prepared |= part.state == TxLedger::State::kPrepared;
        pending |= TxLedger::pending(part.state);
      }
      blocked += prepared;
      undecided += pending;
    }
    out["blocked_at_end"] = blocked;
    out["undecided_at_end"] = undecided;
    out["transactions"] = ledger_.txns().size();
  }

  void commit_latency(Json& out) const {
    std::vector<int64_t> hops, forces, time;
    const std::vector<Chain>& chains = chains_.all();
    for (size_t i = 0; i < chains.size(); ++i) {
      const Chain& c = chains[i];
      if (!c.committed) continue;
      const TxLedger::Txn* t = ledger_.find(static_cast<TxIndex>(i));
      hops.push_back(c.hops);
      forces.push_back(c.forces);
      if (t != nullptr) time.push_back((c.last - t->begun).ns);
    }
    out["commit_latency"] = json_object("message_delays", summarize_samples(std::move(hops)),
                                        "forced_writes", summarize_samples(std::move(forces)),
                                        "time_ns", summarize_samples(std::move(time)));
    std::map<std::string, int64_t> by_text;  // written in the ways' text order
    for (const auto& [text, count] : via_) by_text[std::string(text)] += count;
    out["outcomes_via"] = by_text;
  }

  void heuristics(Json& out) const {
    int64_t count = 0, damage = 0;
    for (const TxLedger::Txn& t : ledger_.txns()) {
      bool any_commit = false;
      for (const auto& [p, part] : t.parts) any_commit |= part.committed_ever;
      for (const auto& [p, part] : t.parts) {
        if (!part.heuristic) continue;
        ++count;
        damage += any_commit;
      }
    }
    out["heuristic_outcomes"] = count;
    out["heuristic_damage"] = damage;
  }

  struct Chain {
    bool committed = false;  // some participant applied a commit
    int64_t hops = 0, forces = 0;
    Instant last;
  };

  const Cluster* cluster_ = nullptr;
  Instant end_ = Instant::zero();  // when the run stopped (stopped())
  std::vector<ByNode> nodes_;  // by node id
  std::vector<int64_t> lock_hold_;
  // Per transaction (only their values are summarized, so their order does not matter).
  PerTx<Chain> chains_;
  PerTx<int64_t> messages_, forced_;  // counted per message sent and forced write
  std::vector<std::pair<std::string_view, int64_t>> via_;  // the ledger's interned ways, first seen first
  size_t recovering_ = 0;  // nodes still recovering
  std::vector<int64_t> recovery_;
  std::vector<int64_t> client_latency_;
  int64_t committed_ = 0, aborted_ = 0, unknown_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_metrics_observer(std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<MetricsObserver>(std::move(ledger));
}

}  // namespace dsim::twopc
