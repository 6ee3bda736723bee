#include "protocols/twopc/settings.h"

#include <algorithm>

namespace dsim::twopc {

const std::vector<std::string>& variant_names() {
  static const std::vector<std::string> kNames = {
      "seed", "basic", "presumed-abort", "presumed-commit", "three-phase", "paxos-commit"};
  return kNames;
}

const char* to_string(Variant v) { return variant_names()[static_cast<size_t>(v)].c_str(); }

const char* to_string(Presumption p) {
  switch (p) {
    case Presumption::kNone:
      return "none";
    case Presumption::kAbort:
      return "abort";
    case Presumption::kCommit:
      return "commit";
  }
  return "?";
}

CommitRules rules_for(Variant v) {
  CommitRules r;
  switch (v) {
    case Variant::kSeed:
      r.participant_logs = r.coordinator_logs = false;
      r.log_coordinator_abort = r.force_coordinator_abort = false;
      r.commit_acks = r.abort_acks = false;
      r.force_participant_commit = r.force_participant_abort = false;
      r.timeouts = false;
      r.presumption = Presumption::kNone;
      break;
    case Variant::kBasic:
      break;
    case Variant::kPresumedAbort:
      r.log_coordinator_abort = r.force_coordinator_abort = false;
      r.abort_acks = false;
      r.force_participant_abort = false;
      r.read_only_optimization = true;
      break;
    case Variant::kPresumedCommit:
      r.collecting_record = true;
      r.commit_acks = false;
      r.force_participant_commit = false;
      r.read_only_optimization = true;
      r.presumption = Presumption::kCommit;
      break;
    case Variant::kThreePhase:
      // The coordinator keeps no log: participants terminate among themselves.
      r.coordinator_logs = false;
      r.log_coordinator_abort = r.force_coordinator_abort = false;
      r.commit_acks = r.abort_acks = false;
      r.presumption = Presumption::kNone;
      break;
    case Variant::kPaxosCommit:
      // The acceptors hold the votes; the leader keeps no log and needs no acks.
      r.coordinator_logs = false;
      r.log_coordinator_abort = r.force_coordinator_abort = false;
      r.commit_acks = r.abort_acks = false;
      r.presumption = Presumption::kNone;
      break;
  }
  return r;
}

namespace {

Variant parse_variant(const std::string& name) {
  const auto& names = variant_names();
  return static_cast<Variant>(std::find(names.begin(), names.end(), name) - names.begin());
}

bool is_two_phase(Variant v) {
  return v == Variant::kBasic || v == Variant::kPresumedAbort || v == Variant::kPresumedCommit;
}

void read_roles(Settings& s, const Cluster& cluster, ConfigReader& protocol) {
  for (const std::string& role : cluster.roles()) {
    if (role != "coordinator" && role != "participant" && role != "client" && role != "acceptor") {
      protocol.fail_here("2pc knows the roles coordinator, participant, client and acceptor; "
                         "the scenario's nodes have the role \"" + role + "\"");
    }
  }
  s.coordinators = cluster.with_role("coordinator");
  s.participants = cluster.with_role("participant");
  s.clients = cluster.with_role("client");
  s.acceptors = cluster.with_role("acceptor");
  if (s.coordinators.empty() || s.participants.empty() || s.clients.empty()) {
    protocol.fail_here("2pc needs nodes with the roles coordinator, participant and client, "
                       "such as \"nodes\": {\"client\": 1, \"coordinator\": 1, \"participant\": 3}");
  }
  if (s.variant == Variant::kPaxosCommit) {
    if (s.acceptors.empty() || s.acceptors.size() % 2 == 0) {
      protocol.fail_here("paxos-commit needs 2F+1 nodes with the role acceptor (an odd number)");
    }
    s.acceptor_quorum = s.acceptors.size() / 2 + 1;
  } else if (!s.acceptors.empty()) {
    protocol.fail_here("only paxos-commit uses acceptors; remove the acceptor nodes");
  }
}

void read_timing(Timing& t, ConfigReader& p) {
  auto positive = [&p](const std::string& key, Duration fallback) {
    Duration d = p.duration(key, fallback);
    if (d.ns <= 0) p.fail(key, "expected a positive duration");
    return d;
  };
  t.work_time = p.duration("work_time", t.work_time);
  t.work_timeout = positive("work_timeout", t.work_timeout);
  t.vote_timeout = positive("vote_timeout", t.vote_timeout);
  t.decision_timeout = positive("decision_timeout", t.decision_timeout);
  t.retry_interval = positive("retry_interval", t.retry_interval);
  t.resend_interval = positive("resend_interval", t.resend_interval);
  t.ack_timeout = positive("ack_timeout", t.ack_timeout);
  t.termination_wait = positive("termination_wait", t.termination_wait);
  t.liveness_bound = positive("liveness_bound", t.liveness_bound);
}

void read_mistakes(Settings& s, ConfigReader& p) {
  ConfigReader m = p.object("mistakes");
  Mistakes& x = s.mistakes;
  const bool two_phase = is_two_phase(s.variant);
  // Switching a mistake on where it has no meaning is an error, not a silent no-op.
  auto only = [&](const std::string& key, bool on, bool allowed, const std::string& which) {
    if (on && !allowed) m.fail(key, "applies only to " + which);
  };
  x.participant_prepare_unlogged = m.boolean("participant_prepare_unlogged", false);
  only("participant_prepare_unlogged", x.participant_prepare_unlogged, s.variant != Variant::kSeed,
       "variants that log");
  x.coordinator_lazy_decision_log = m.boolean("coordinator_lazy_decision_log", false);
  only("coordinator_lazy_decision_log", x.coordinator_lazy_decision_log, two_phase,
       "basic, presumed-abort, presumed-commit");
  x.lazy_flush_delay = m.duration("lazy_flush_delay", x.lazy_flush_delay);
  x.heuristic_abort_after = m.optional_duration("heuristic_abort_after");
  only("heuristic_abort_after", x.heuristic_abort_after.has_value(), two_phase,
       "basic, presumed-abort, presumed-commit");
  x.coordinator_skip_collecting = m.boolean("coordinator_skip_collecting", false);
  only("coordinator_skip_collecting", x.coordinator_skip_collecting, s.variant == Variant::kPresumedCommit,
       "presumed-commit");
  x.coordinator_forget_before_acks = m.boolean("coordinator_forget_before_acks", false);
  only("coordinator_forget_before_acks", x.coordinator_forget_before_acks,
       s.variant == Variant::kPresumedAbort || s.variant == Variant::kBasic, "basic, presumed-abort");
  m.finish();
}

std::string account_arg(ConfigReader& r, const std::string& key, const AccountLayout& layout) {
  if (!r.has(key)) r.fail(key, "expected an account name such as \"a0\"");
  std::string a = r.string(key, "");
  if (layout.home_of(a) == kNoNode) {
    r.fail(key, "no account \"" + a + "\"; accounts are a0 .. a" +
                    std::to_string(layout.accounts() - 1));
  }
  return a;
}

ScriptedTx read_scripted(ConfigReader& e, const Settings& s, const Cluster& cluster, Duration duration) {
  ScriptedTx tx;
  if (!e.has("at")) e.fail("at", "expected when the client starts the transaction");
  tx.at = e.duration("at", Duration::zero());
  if (tx.at > duration) e.fail("at", "expected a time within the scenario's duration");
  tx.client = e.string("client", "");
  if (!tx.client.empty()) {
    auto id = cluster.find(tx.client);
    if (!id || cluster.role(*id) != "client") e.fail("client", "no client named \"" + tx.client + "\"");
  }
  int kinds = e.has("transfer") + e.has("audit") + e.has("double");
  if (kinds != 1) e.fail_here("expected exactly one of \"transfer\", \"audit\", \"double\"");
  if (e.has("transfer")) {
    ConfigReader t = e.object("transfer");
    tx.kind = ScriptedTx::Kind::kTransfer;
    tx.from = account_arg(t, "from", s.layout);
    if (t.has("to") && t.json()["to"].is_array()) {
      std::vector<std::string> names = t.string_list("to");
      for (const std::string& a : names) {
        if (s.layout.home_of(a) == kNoNode) t.fail("to", "no account \"" + a + "\"");
      }
      tx.to = names;
    } else {
      tx.to = {account_arg(t, "to", s.layout)};
    }
    if (tx.to.empty()) t.fail("to", "expected at least one account");
    tx.amount = t.integer("amount", 1, 1, INT64_C(1) << 40);
    t.finish();
  } else if (e.has("audit")) {
    tx.kind = ScriptedTx::Kind::kAudit;
    if (!e.boolean("audit", true)) e.fail("audit", "expected true");
  } else {
    ConfigReader d = e.object("double");
    tx.kind = ScriptedTx::Kind::kDouble;
    tx.participant = d.string("participant", "");
    auto id = cluster.find(tx.participant);
    if (!id || cluster.role(*id) != "participant") {
      d.fail("participant", "expected the name of a participant node");
    }
    tx.value = d.integer("value", 0, -(INT64_C(1) << 40), INT64_C(1) << 40);
    d.finish();
  }
  e.finish();
  return tx;
}

void read_workload(Settings& s, ConfigReader& w, const Cluster& cluster, Duration duration) {
  Workload& x = s.workload;
  x.accounts = w.integer("accounts", 8, 1, 1'000'000);
  x.initial_balance = w.integer("initial_balance", 100, 0, INT64_C(1) << 40);
  x.client_timeout = w.duration("client_timeout", x.client_timeout);
  s.layout = AccountLayout(x.accounts, s.participants);
  for (ConfigReader& e : w.array("script")) x.script.push_back(read_scripted(e, s, cluster, duration));
  if (w.has("random")) {
    ConfigReader r = w.object("random");
    RandomWorkload rw;
    rw.interval = r.duration("interval", rw.interval);
    if (rw.interval.ns <= 0) r.fail("interval", "expected a positive duration");
    rw.start = r.duration("start", rw.start);
    rw.stop = r.duration("stop", duration);
    rw.amount_max = r.integer("amount_max", rw.amount_max, 1, INT64_C(1) << 40);
    rw.participants_per_transfer = r.integer("participants_per_transfer", 2, 2,
                                             static_cast<int64_t>(s.participants.size()));
    if (s.participants.size() < 2) r.fail_here("random transfers need at least two participants");
    if (x.accounts < static_cast<int64_t>(s.participants.size())) {
      w.fail("accounts", "expected at least one account per participant");
    }
    rw.audit_fraction = r.probability("audit_fraction", rw.audit_fraction);
    r.finish();
    x.random = rw;
  } else {
    w.accept("random");
  }
  if (x.script.empty() && !x.random) {
    w.fail_here("expected a \"script\" of transactions, a \"random\" workload, or both");
  }
}

}  // namespace

Settings read_settings(const std::string& variant, ConfigReader& protocol, ConfigReader& workload,
                       const Cluster& cluster, Duration duration) {
  Settings s;
  s.variant = parse_variant(variant);
  s.rules = rules_for(s.variant);
  read_roles(s, cluster, protocol);
  s.cooperative_termination = protocol.boolean("cooperative_termination", false);
  if (s.cooperative_termination && !is_two_phase(s.variant)) {
    protocol.fail("cooperative_termination", "applies only to basic, presumed-abort, presumed-commit");
  }
  read_timing(s.timing, protocol);
  read_mistakes(s, protocol);
  read_workload(s, workload, cluster, duration);
  return s;
}

}  // namespace dsim::twopc
