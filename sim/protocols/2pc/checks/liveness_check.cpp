// Liveness: once the faults stop, every transaction at a running node is decided within
// a stated bound. "Faults stop" means view.faults_quiet_since() (no crash, pause, cut or
// link window in effect); when the only fault still in effect is nodes that crashed and
// stay down, the bound counts from the last fault event instead and only the running
// nodes are judged — the non-blocking property that 2PC lacks and 3PC and Paxos Commit
// have. A participant counts as undecided while working, executed or prepared; a
// coordinator while it has begun a transaction, not decided it, and not crashed since.
#include <set>

#include "core/fault_events.h"
#include "core/json_object.h"
#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"

namespace dsim::twopc {
namespace {

class LivenessCheck final : public LedgerChecker {
 public:
  LivenessCheck(Duration bound, std::shared_ptr<SharedTxLedger> ledger)
      : LedgerChecker(std::move(ledger)), bound_(bound) {}
  std::string_view name() const override { return "liveness"; }
  // An outcome, and the fault events that start or end a fault.
  std::vector<const PayloadKind*> own_event_kinds() const override {
    using namespace fault_events;
    return kinds_of<ev::OutcomeApplied, Crash, Restart, Pause, Resume, Partition, Heal, LinkWindowStart,
                    LinkWindowEnd>();
  }

  void observe(const Observation& o, CheckerView& view) override {
    const TxLedger::Update& u = update_ledger(o);
    if (o.as<ev::OutcomeApplied>() != nullptr) judge_late(o, u, view);
    if (o.from_protocol) return;
    const std::string_view ev = o.event;
    if (ev == "crash" || ev == "restart" || ev == "pause" || ev == "resume" || ev == "partition" ||
        ev == "heal" || ev == "link_window_start" || ev == "link_window_end") {
      last_fault_event_ = o.at;
    }
    if (ev == "pause") paused_.insert(o.node);
    if (ev == "resume" || ev == "crash") paused_.erase(o.node);
    // Fault events are typed (core/fault_events.h): read their ids, build no JSON.
    if (const auto* p = o.as<fault_events::Partition>()) cuts_.insert(p->cut);
    if (const auto* h = o.as<fault_events::Heal>()) {
      if (h->cut) {
        cuts_.erase(*h->cut);
      } else {
        cuts_.clear();
      }
    }
    if (const auto* w = o.as<fault_events::LinkWindowStart>()) windows_.insert(w->window);
    if (const auto* w = o.as<fault_events::LinkWindowEnd>()) windows_.erase(w->window);
  }

  void finish(CheckerView& view) override {
    if (!view.ran_to_end()) return;
    Instant stable = view.faults_quiet_since();
    mode_ = "faults_healed";
    if (stable == Instant::max()) {
      if (!paused_.empty() || !cuts_.empty() || !windows_.empty()) return;
      stable = last_fault_event_;  // only crashed nodes remain down
      mode_ = "nodes_left_down";
    }
    if (view.now() - stable < bound_) {
      mode_ = "too_short_to_judge";
      return;
    }
    for (const TxLedger::Txn& t : ledger_.txns()) {
      std::vector<NodeId> stuck;
      Instant since = Instant::max();
      for (const auto& [p, part] : t.parts) {
        if (!TxLedger::pending(part.state) || !view.node_up(p)) continue;
        if (view.now() - std::max(part.since, stable) < bound_) continue;
        stuck.push_back(p);
        since = std::min(since, part.since);
      }
      bool coordinator_stuck = t.coordinator != kNoNode && view.node_up(t.coordinator) &&
                               !t.coordinator_commit && !crashed_since(t) && view.now() - std::max(t.begun, stable) >= bound_;
      if (stuck.empty() && !coordinator_stuck) continue;
      report(view, t, stuck, coordinator_stuck, since, stable);
      return;
    }
  }

  void write_metrics(Json& out) const override { out["judged"] = mode_; }

 private:
  // A decision that does come, but later than the bound after the faults ended.
  // `u.prior`: the participant's side just before this outcome.
  void judge_late(const Observation& o, const TxLedger::Update& u, CheckerView& view) {
    Instant quiet = view.faults_quiet_since();
    const TxLedger::Txn* t = u.txn;
    if (quiet == Instant::max() || t == nullptr || !u.prior || late_reported_) return;
    const TxLedger::Part& before = *u.prior;
    if (!TxLedger::pending(before.state)) return;
    Instant from = std::max(before.since, quiet);
    if (o.at - from > bound_) report_late(o, *t, before, quiet, from, view);
  }

  [[gnu::cold, gnu::noinline]] void report_late(const Observation& o, const TxLedger::Txn& t,
                                                const TxLedger::Part& before, Instant quiet, Instant from,
                                                CheckerView& view) {
    late_reported_ = true;
    const Cluster& c = view.cluster();
    Violation v;
    v.check = "liveness";
    v.at = view.now();
    v.nodes = {c.name(o.node)};
    v.message = "transaction " + t.id.str() + " was decided at " + c.name(o.node) + " only " +
                format_duration(o.at - from) + " after the faults ended (" +
                TxLedger::to_string(before.state) + " since " + format_duration(Duration{before.since.ns}) +
                "); bound " + format_duration(bound_);
    v.details = json_object("tx", t.id.str(), "quiet_since_ns", quiet.ns, "bound_ns", bound_.ns);
    view.report(std::move(v));
  }

  bool crashed_since(const TxLedger::Txn& t) const {
    Instant c = ledger_.crashed_at(t.coordinator);
    return c != Instant::max() && c >= t.begun;
  }

  [[gnu::cold, gnu::noinline]] void report(CheckerView& view, const TxLedger::Txn& t, const std::vector<NodeId>& stuck,
                                           bool coordinator_stuck, Instant since, Instant stable) {
    const Cluster& c = view.cluster();
    size_t blocked = 0;
    for (const TxLedger::Txn& txn : ledger_.txns()) {
      for (const auto& [p, part] : txn.parts) {
        if (part.state == TxLedger::State::kPrepared && view.node_up(p)) {
          ++blocked;
          break;
        }
      }
    }
    Json states = Json::object();
    for (NodeId p : stuck) states[c.name(p)] = TxLedger::to_string(t.part(p)->state);
    Violation v;
    v.check = "liveness";
    v.at = view.now();
    v.nodes = node_names(c, stuck);
    std::string who = stuck.empty() ? "" : node_list(c, stuck) + " still undecided (" +
                                               TxLedger::to_string(t.part(stuck.front())->state) + " since " +
                                               format_duration(Duration{since.ns}) + ")";
    if (coordinator_stuck) {
      v.nodes.push_back(c.name(t.coordinator));
      who += (who.empty() ? "" : "; ") + c.name(t.coordinator) + " never decided it";
    }
    std::string down;
    for (NodeId n = 0; n < c.size(); ++n) {
      if (!view.node_up(n)) down += (down.empty() ? "" : ", ") + c.name(n);
    }
    v.message = "transaction " + t.id.str() + ": " + who + ", " + format_duration(view.now() - stable) +
                " after the faults " + (mode_ == "faults_healed" ? "ended" : "stopped (down: " + down + ")") +
                "; bound " + format_duration(bound_);
    v.details = json_object("tx", t.id.str(),
                            "states", states,
                            "stable_since_ns", stable.ns,
                            "bound_ns", bound_.ns,
                            "transactions_blocked", blocked,
                            "mode", mode_);
    view.report(std::move(v));
  }

  Duration bound_;
  Instant last_fault_event_ = Instant::zero();
  std::set<NodeId> paused_;
  std::set<uint64_t> cuts_, windows_;
  std::string mode_ = "not_run";
  bool late_reported_ = false;
};

}  // namespace

std::unique_ptr<Checker> make_liveness_check(Duration bound, std::shared_ptr<SharedTxLedger> ledger) {
  return make_ledger_check<LivenessCheck>(std::move(ledger), bound);
}

}  // namespace dsim::twopc
