#include "protocols/2pc/twopc.h"

#include <algorithm>
#include <cmath>

#include "protocols/2pc/checks/checks.h"
#include "protocols/2pc/checks/tx_ledger.h"
#include "protocols/2pc/client.h"
#include "protocols/2pc/checks/group_view.h"
#include "protocols/2pc/group_router.h"
#include "protocols/2pc/participant_replica.h"
#include "protocols/2pc/replicated_primary.h"
#include "protocols/2pc/paxos_acceptor.h"
#include "protocols/2pc/paxos_coordinator.h"
#include "protocols/2pc/paxos_participant.h"
#include "protocols/2pc/recovery_manager.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/three_phase_coordinator.h"
#include "protocols/2pc/three_phase_participant.h"
#include "protocols/2pc/two_phase_coordinator.h"
#include "protocols/2pc/two_phase_participant.h"

namespace dsim {
namespace {

using twopc::Settings;
using twopc::Variant;

// What the checks need from a configured run: the liveness bound and the ledger all of the
// run's checks share.
struct CheckInputs {
  const Settings& s;
  std::shared_ptr<twopc::SharedTxLedger> ledger;
};

// The family's checks, each named once (scenario/check_table.h). In the order they are
// judged: when one event breaks several, the first named wins.
constexpr CheckRow<CheckInputs> kChecks[] = {
    {"commit_validity", "commit only if every participant voted yes (or read-only)", true,
     [](const CheckInputs& in) { return twopc::make_commit_validity_check(in.ledger); }},
    {"prepared_durable", "a participant that voted yes is still prepared (or decided) after a restart", true,
     [](const CheckInputs& in) { return twopc::make_prepared_durable_check(in.ledger); }},
    {"decision_stable", "a coordinator's decision never changes, survives its crashes, and is what it logs", true,
     [](const CheckInputs& in) { return twopc::make_decision_stable_check(in.ledger); }},
    {"atomicity", "no transaction is committed at one participant and aborted at another", true,
     [](const CheckInputs& in) { return twopc::make_atomicity_check(in.ledger); }},
    {"conservation", "the total of all committed balances never changes; every audit sees the total", true,
     [](const CheckInputs& in) { return twopc::make_conservation_check(in.ledger); }},
    {"liveness", "once the faults stop, every transaction at a running node is decided within liveness_bound", true,
     [](const CheckInputs& in) { return twopc::make_liveness_check(in.s.timing.liveness_bound, in.ledger); }},
    {"decided_then_executed", "no branch executes after it was told the outcome, nor holds its locks long after the decision",
     true, [](const CheckInputs& in) {
       return twopc::make_decided_then_executed_check(in.s.timing.liveness_bound, in.ledger);
     }},
    {"metrics", "never fails: in-doubt times, blocking, lock hold, commit latency, messages, recovery", true,
     [](const CheckInputs& in) { return twopc::make_metrics_observer(in.ledger); }, /*measures_only=*/true},
};

class TwoPcRun final : public ProtocolRun {
 public:
  TwoPcRun(std::shared_ptr<const Settings> s, const Cluster& cluster) : s_(std::move(s)), cluster_(cluster) {}

  // A run keeps nothing of its own here (the ledger is made with the checkers): another
  // shares the read-only settings.
  std::unique_ptr<ProtocolRun> another_run() const override { return std::make_unique<TwoPcRun>(s_, cluster_); }

  std::unique_ptr<Process> make_process(NodeId node) override {
    const std::string& role = cluster_.role(node);
    if (role == "client") return std::make_unique<twopc::Client>(s_);
    if (role == "acceptor") return std::make_unique<twopc::PaxosAcceptor>();
    if (role == "recovery") return std::make_unique<twopc::RecoveryManager>(s_);
    bool coordinator = role == "coordinator";
    if (s_->replication.enabled) return make_replicated(role);
    switch (s_->variant) {
      case Variant::kThreePhase:
        if (coordinator) return std::make_unique<twopc::ThreePhaseCoordinator>(s_);
        return std::make_unique<twopc::ThreePhaseParticipant>(s_);
      case Variant::kPaxosCommit:
        if (coordinator) return std::make_unique<twopc::PaxosCoordinator>(s_);
        return std::make_unique<twopc::PaxosParticipant>(s_);
      default:
        if (coordinator) return std::make_unique<twopc::TwoPhaseCoordinator>(s_);
        return std::make_unique<twopc::TwoPhaseParticipant>(s_);
    }
  }

  // Each transaction is a few rounds between the coordinator and its k participants
  // (work, prepare, vote, decision, ack: about 6k + 2 messages; Paxos Commit doubles it
  // through the acceptors), log records on each, and ledger entries in the checkers
  // that are kept to the end: measured, about 1.5 KiB plus 0.6 KiB per participant.
  // An audit reads every participant.
  FamilyLoad estimate_load(const LoadInputs& in) const override {
    const twopc::Workload& w = s_->workload;
    const double participants = static_cast<double>(s_->participants.size());
    double tx_per_second = 0;
    double tx_total = static_cast<double>(w.script.size());
    double k = 2;
    if (w.random) {
      const double clients = static_cast<double>(s_->clients.size());
      const Duration stop = std::min(w.random->stop, in.duration);
      const double active_s = std::max<double>(0, static_cast<double>((stop - w.random->start).ns) * 1e-9);
      tx_per_second = clients / std::max(static_cast<double>(w.random->interval.ns) * 1e-9, 1e-6);
      tx_total += tx_per_second * active_s;
      const double af = w.random->audit_fraction;
      k = (1 - af) * static_cast<double>(w.random->participants_per_transfer) + af * participants;
    }
    const double per_tx = (6 * k + 2) * (s_->variant == Variant::kPaxosCommit ? 2 : 1);
    // A timer is queued at most until the run ends: each timeout counts up to the duration.
    const auto queued_s = [&in](Duration d) { return static_cast<double>(std::min(d, in.duration).ns) * 1e-9; };
    const double seconds = queued_s(w.client_timeout) + queued_s(s_->timing.work_timeout) * std::ceil(k);
    FamilyLoad load;
    load.messages_per_second = tx_per_second * per_tx;
    load.burst_messages = static_cast<double>(s_->clients.size()) * per_tx;
    load.state_bytes = static_cast<double>(in.cluster.size()) * 4096 +
                       static_cast<double>(w.accounts) * 256 + tx_total * (1536 + 640 * k);
    load.body_bytes = 240;
    // A transaction's timeouts (the client's, each participant's) stay queued until they
    // would fire.
    load.timers_pending = static_cast<double>(in.cluster.size()) * 4 + tx_per_second * seconds;
    return load;
  }

  // A check alone: with a ledger and a keeper of its own.
  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    return by_group(make_checker(check, nullptr));
  }

  // One ledger for all of the run's checks, kept by its own subscriber, added first: each
  // event updates it once, before any check reads it.
  std::vector<std::unique_ptr<Checker>> make_checkers(const std::vector<std::string>& checks) override {
    std::vector<std::unique_ptr<Checker>> out;
    if (checks.empty()) return out;
    auto ledger = std::make_shared<twopc::SharedTxLedger>();
    out.push_back(by_group(twopc::make_ledger_keeper(ledger)));
    for (const std::string& c : checks) out.push_back(by_group(make_checker(c, ledger)));
    return out;
  }

 private:
  // Replicated participants (2PC variants only): the primary and its replica serve the
  // group; coordinators route to whichever is primary now.
  std::unique_ptr<Process> make_replicated(const std::string& role) {
    if (role == "replica") return std::make_unique<twopc::ParticipantReplica>(s_);
    if (role == "participant") return std::make_unique<twopc::ReplicatedPrimary>(s_);
    return std::make_unique<twopc::GroupRouter>(s_, std::make_unique<twopc::TwoPhaseCoordinator>(s_));
  }

  // With replicated participants the checks judge groups, not nodes.
  std::unique_ptr<Checker> by_group(std::unique_ptr<Checker> check) {
    if (!s_->replication.enabled) return check;
    return twopc::judge_by_group(std::move(check), s_->replication);
  }

  std::unique_ptr<Checker> make_checker(const std::string& check, std::shared_ptr<twopc::SharedTxLedger> ledger) {
    return make_check(kChecks, check, CheckInputs{*s_, std::move(ledger)});
  }

  std::shared_ptr<const Settings> s_;
  Cluster cluster_;
};

}  // namespace

ProtocolFamily twopc_family() {
  ProtocolFamily f;
  f.name = "2pc";
  f.summary = "atomic commit: seed 2PC, basic, presumed abort/commit, 3PC, Paxos Commit";
  f.variants = twopc::variant_names();
  f.checks = check_infos(kChecks);
  f.settings = &twopc::setting_table();
  f.roles = twopc::role_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    auto settings = std::make_shared<Settings>(
        twopc::read_settings(s.variant, s.protocol, s.workload, s.cluster, s.duration, &s.checks));
    return std::make_unique<TwoPcRun>(std::move(settings), s.cluster);
  };
  return f;
}

}  // namespace dsim
