#include "protocols/2pc/settings.h"

#include <algorithm>

namespace dsim::twopc {

const std::vector<std::string>& variant_names() {
  static const std::vector<std::string> kNames = {
      "seed", "basic", "presumed-abort", "presumed-commit", "three-phase", "paxos-commit"};
  return kNames;
}

const char* to_string(Variant v) { return variant_names()[static_cast<size_t>(v)].c_str(); }

NodeId Replication::group_of(NodeId node) const {
  for (size_t k = 0; k < replicas.size(); ++k) {
    if (replicas[k] == node) return group_by_index[k];
  }
  return node;
}

NodeId Replication::replica_of(NodeId participant) const {
  for (size_t k = 0; k < group_by_index.size(); ++k) {
    if (group_by_index[k] == participant) return replicas[k];
  }
  return kNoNode;
}

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

const SettingTable& setting_table() {
  using Type = Setting::Type;
  static const Timing d;  // the defaults
  static const Mistakes m;
  static const Workload w;
  static const RandomWorkload r;
  const std::vector<std::string> two_phase = {"basic", "presumed-abort", "presumed-commit"};
  // The variants whose coordinator logs and presumes abort: the recovery role's (Narayana's
  // XA recovery resolves by the coordinator's log and presumes abort without a record).
  const std::vector<std::string> recovery_variants = {"basic", "presumed-abort"};
  auto recovery_role = [&](Setting s) {
    s.variants = recovery_variants;
    s.roles = {"recovery"};
    return s;
  };
  // Forced log writes that are retried: the logging two-phase variants (seed logs nothing;
  // three-phase and Paxos Commit do not retry a failed write).
  auto logging = [&](Setting s) {
    s.variants = two_phase;
    return s;
  };
  auto timing = [](std::string key, Duration fallback, bool positive, std::string meaning,
                   std::vector<std::string> variants = {}) {
    return Setting{.section = "protocol", .key = std::move(key), .type = Type::kDuration,
                   .fallback = fallback, .positive = positive, .variants = std::move(variants),
                   .meaning = std::move(meaning)};
  };
  // Who reads each timer (rules_for): seed has no timeouts at all (CommitRules::timeouts);
  // only the two-phase coordinators wait for acks and re-send; the three-phase
  // participants ask no one again; only three-phase has pre-commit acks and a termination
  // protocol.
  const std::vector<std::string> timed = {"basic", "presumed-abort", "presumed-commit", "three-phase",
                                          "paxos-commit"};
  const std::vector<std::string> retrying = {"basic", "presumed-abort", "presumed-commit", "paxos-commit"};
  const std::vector<std::string> three_phase = {"three-phase"};
  auto mistake = [](std::string key, std::vector<std::string> only_in, std::string meaning) {
    return Setting{.section = "protocol.mistakes", .key = std::move(key), .type = Type::kBoolean,
                   .fallback = false, .only_in = std::move(only_in), .meaning = std::move(meaning)};
  };
  constexpr int64_t kMoney = INT64_C(1) << 40;
  static const SettingTable kTable({
      Setting{.section = "protocol", .key = "cooperative_termination", .type = Type::kBoolean,
              .fallback = false, .only_in = two_phase,
              .meaning = "a blocked participant asks its peers for the decision"},
      timing("work_time", d.work_time, false, "a participant executes its part of a transaction"),
      timing("work_timeout", d.work_timeout, true, "executed but never asked to prepare: abort", timed),
      timing("vote_timeout", d.vote_timeout, true, "coordinator's wait for execution and votes", timed),
      as_period(timing("decision_timeout", d.decision_timeout, true, "a prepared participant starts asking",
                       timed)),
      as_period(timing("retry_interval", d.retry_interval, true,
                       "... and asks again this often (paxos-commit: the leader's new ballot too)", retrying)),
      as_period(timing("resend_interval", d.resend_interval, true, "the coordinator re-sends unacked decisions",
                       two_phase)),
      timing("ack_timeout", d.ack_timeout, true, "three-phase: wait for pre-commit acks", three_phase),
      timing("termination_wait", d.termination_wait, true, "three-phase: collect peers' states", three_phase),
      Setting{.section = "protocol", .key = "liveness_bound", .type = Type::kDuration, .fallback = d.liveness_bound,
              .positive = true, .checks = {"liveness", "decided_then_executed"},
              .meaning = "checks liveness, decided_then_executed: decided this long after faults end"},
      Setting{.section = "protocol", .key = "branch_fence", .type = Type::kBoolean,
              .fallback = false, .only_in = two_phase,
              .meaning = "every abort of a branch never prepared is a forced record: a late execute is refused"},
      recovery_role(as_period(timing("recovery_scan_interval", d.recovery_scan_interval, true,
                                     "recovery role: how often it asks participants for prepared branches"))),
      recovery_role(timing("orphan_safety_interval", d.orphan_safety_interval, false,
                           "recovery role: resolves only branches it has seen prepared this long")),
      logging(as_period(timing("log_retry_interval", d.log_retry_interval, true,
                               "a forced log write that failed or is not yet durable is retried or checked "
                               "this often"))),
      Setting{.section = "protocol", .key = "mistakes", .type = Type::kObject,
              .meaning = "switches that re-create known mistakes (rows protocol.mistakes)"},
      mistake("participant_prepare_unlogged",
              {"basic", "presumed-abort", "presumed-commit", "three-phase", "paxos-commit"},
              "a participant votes yes before its prepare record is durable"),
      mistake("coordinator_lazy_decision_log", two_phase,
              "the coordinator sends the decision before it is durable"),
      Setting{.section = "protocol.mistakes", .key = "lazy_flush_delay", .type = Type::kDuration,
              .fallback = m.lazy_flush_delay, .when_key = "coordinator_lazy_decision_log", .when_values = {"true"},
              .meaning = "coordinator_lazy_decision_log: the log flushes this much later"},
      Setting{.section = "protocol.mistakes", .key = "heuristic_abort_after", .type = Type::kDuration,
              .default_note = "off", .only_in = two_phase,
              .meaning = "a prepared participant aborts on its own after waiting this long"},
      mistake("coordinator_skip_collecting", {"presumed-commit"},
              "no collecting record before PREPARE"),
      mistake("coordinator_forget_before_acks", {"basic", "presumed-abort"},
              "the coordinator forgets a commit before every ack arrived"),
      Setting{.section = "protocol", .key = "replication", .type = Type::kObject, .variants = two_phase,
              .roles = {"replica"},
              .meaning = "replicated participants: needs one replica node per participant "
                         "(rows protocol.replication)"},
      Setting{.section = "protocol.replication", .key = "mode", .type = Type::kChoice,
              .fallback = std::string("sync"), .choices = {"sync", "async"},
              .meaning = "sync: a primary sends nothing (a vote, an ack) before the replica holds "
                         "its log records; async: it ships them every interval (a known mistake)"},
      Setting{.section = "protocol.replication", .key = "interval", .type = Type::kDuration,
              .fallback = Replication{}.interval, .positive = true, .period_min = kPeriodFloor,
              .meaning = "the primary's heartbeat to its replica; async: how often it ships its new records"},
      Setting{.section = "protocol.replication", .key = "lease", .type = Type::kDuration,
              .fallback = Replication{}.lease, .positive = true,
              .meaning = "a primary serves only this long after a heartbeat its replica acknowledged"},
      Setting{.section = "protocol.replication", .key = "failover_after", .type = Type::kDuration,
              .fallback = Replication{}.failover_after, .positive = true, .period_min = kPeriodFloor,
              .meaning = "a replica that hears nothing from its primary this long promotes itself "
                         "(more than lease)"},
      mistake("participant_forget_unknown_abort", two_phase,
              "an abort for a transaction not yet started is not remembered (hanging branch)"),
      mistake("participant_no_branch_timeout", two_phase,
              "an executed branch waits for PREPARE without a bound"),
      [&] {
        Setting s = mistake("recovery_presumes_abort_in_flight", {"basic", "presumed-abort"},
                            "the recovery role presumes abort for a branch with no log record, at first sight");
        s.roles = {"recovery"};  // a mistake of the recovery manager
        return s;
      }(),
      mistake("coordinator_ignores_log_errors", two_phase,
              "the coordinator announces a decision its log could not make durable"),
      mistake("coordinator_never_resends", two_phase, "the coordinator sends a decision once, never again"),
      mistake("participant_never_inquires", two_phase, "a prepared participant never asks for the decision"),
      mistake("participant_no_record_checksums", two_phase,
              "recovery decodes a torn (half-written) log record as if whole"),
      Setting{.section = "workload", .key = "accounts", .type = Type::kInteger, .fallback = w.accounts,
              .min = 1, .max = 1'000'000, .unit = "accounts",
              .meaning = "a0 .. a(accounts-1), spread over the participants"},
      Setting{.section = "workload", .key = "initial_balance", .type = Type::kInteger,
              .fallback = w.initial_balance,
              .min = 0, .max = kMoney, .unit = "money", .meaning = "each account's balance at the start"},
      Setting{.section = "workload", .key = "client_timeout", .type = Type::kDuration,
              .fallback = w.client_timeout, .meaning = "a client gives up on a transaction's outcome"},
      Setting{.section = "workload", .key = "script", .type = Type::kList,
              .meaning = "scripted transactions (rows workload.script[])"},
      Setting{.section = "workload.script[]", .key = "at", .type = Type::kDuration,
              .default_note = "required",
              .meaning = "when the client starts the transaction"},
      Setting{.section = "workload.script[]", .key = "client", .type = Type::kString,
              .default_note = "the first client", .meaning = "the client node that starts it"},
      Setting{.section = "workload.script[]", .key = "transfer", .type = Type::kObject,
              .meaning = "one of transfer, audit, double: move money (rows workload.script[].transfer)"},
      Setting{.section = "workload.script[]", .key = "audit", .type = Type::kBoolean, .fallback = true,
              .meaning = "one of transfer, audit, double: read every account (true)"},
      Setting{.section = "workload.script[]", .key = "double", .type = Type::kObject,
              .meaning = "one of transfer, audit, double: a participant doubles a value "
                         "(rows workload.script[].double)"},
      Setting{.section = "workload.script[].transfer", .key = "from", .type = Type::kString,
              .default_note = "required", .meaning = "the account debited"},
      Setting{.section = "workload.script[].transfer", .key = "to", .type = Type::kNames,
              .default_note = "required", .meaning = "the account credited, or a list of them"},
      Setting{.section = "workload.script[].transfer", .key = "amount", .type = Type::kInteger,
              .fallback = int64_t{1},
              .min = 1, .max = kMoney, .unit = "money", .meaning = "moved to each account credited"},
      Setting{.section = "workload.script[].double", .key = "participant", .type = Type::kString,
              .default_note = "required", .meaning = "the participant node"},
      Setting{.section = "workload.script[].double", .key = "value", .type = Type::kInteger,
              .fallback = int64_t{0},
              .min = -kMoney, .max = kMoney, .unit = "money", .meaning = "the value it writes"},
      Setting{.section = "workload", .key = "random", .type = Type::kObject,
              .meaning = "random transfers and audits (rows workload.random)"},
      Setting{.section = "workload.random", .key = "interval", .type = Type::kDuration,
              .fallback = r.interval,
              .positive = true, .period_min = kPeriodFloor, .meaning = "mean gap between a client's transactions"},
      Setting{.section = "workload.random", .key = "start", .type = Type::kDuration, .fallback = r.start,
              .meaning = "clients start"},
      Setting{.section = "workload.random", .key = "stop", .type = Type::kDuration,
              .default_note = "duration",
              .meaning = "clients start no transaction after this"},
      Setting{.section = "workload.random", .key = "amount_max", .type = Type::kInteger,
              .fallback = r.amount_max,
              .min = 1, .max = kMoney, .unit = "money", .meaning = "amounts are drawn from 1 .. amount_max"},
      Setting{.section = "workload.random", .key = "participants_per_transfer", .type = Type::kInteger,
              .fallback = r.participants_per_transfer, .min = 2, .max = 1'000'000, .unit = "participants",
              .meaning = "one debit, the rest credits (at most the participants)"},
      Setting{.section = "workload.random", .key = "audit_fraction", .type = Type::kNumber,
              .fallback = r.audit_fraction, .low = 0.0, .high = 1.0, .unit = "fraction",
              .meaning = "audits among transactions"},
  });
  return kTable;
}

const std::vector<RoleRow>& role_table() {
  static const std::vector<RoleRow> kRoles = {
      {.role = "coordinator", .meaning = "runs the commit protocol for the transactions clients start"},
      {.role = "participant", .meaning = "holds accounts, executes its part, votes"},
      {.role = "client", .meaning = "starts transactions"},
      {.role = "acceptor", .variants = {"paxos-commit"}, .meaning = "Paxos Commit: holds the votes (2F+1)"},
      {.role = "replica", .variants = {"basic", "presumed-abort", "presumed-commit"},
       .meaning = "replicated participants: one replica per participant (protocol.replication)"},
      {.role = "recovery", .variants = {"basic", "presumed-abort"},
       .meaning = "the recovery manager: resolves prepared branches by the coordinator's log"},
  };
  return kRoles;
}

namespace {

Variant parse_variant(const std::string& name) {
  const auto& names = variant_names();
  return static_cast<Variant>(std::find(names.begin(), names.end(), name) - names.begin());
}

void read_roles(Settings& s, const Cluster& cluster, ConfigReader& protocol) {
  for (const std::string& role : cluster.roles()) {
    if (role == "recovery") continue;  // recovery_manager.h
    if (role != "coordinator" && role != "participant" && role != "client" && role != "acceptor" &&
        role != "replica") {
      fail_role_count(protocol, role,
                      "2pc knows the roles coordinator, participant, client, acceptor, replica and recovery; "
                      "the scenario's nodes have the role \"" + role + "\"");
    }
  }
  s.coordinators = cluster.with_role("coordinator");
  s.participants = cluster.with_role("participant");
  s.clients = cluster.with_role("client");
  s.acceptors = cluster.with_role("acceptor");
  s.recoveries = cluster.with_role("recovery");
  for (const char* role : {"coordinator", "participant", "client"}) {
    if (!cluster.with_role(role).empty()) continue;
    fail_role_count(protocol, role, "2pc needs nodes with the roles coordinator, participant and client, "
                                    "such as \"nodes\": {\"client\": 1, \"coordinator\": 1, \"participant\": 3}");
  }
  if (s.variant == Variant::kPaxosCommit) {
    if (s.acceptors.empty() || s.acceptors.size() % 2 == 0) {
      fail_role_count(protocol, "acceptor", "paxos-commit needs 2F+1 nodes with the role acceptor (an odd number)");
    }
    s.acceptor_quorum = s.acceptors.size() / 2 + 1;
  } else if (!s.acceptors.empty()) {
    fail_role_count(protocol, "acceptor", "only paxos-commit uses acceptors; remove the acceptor nodes");
  }
}

void read_timing(Timing& t, ConfigReader& p, const std::string& variant, const Cluster& cluster) {
  const SettingTable& table = setting_table();
  // A row that does not apply (refused when given) keeps its default.
  auto applies = [&](const std::string& key) { return table.applies(p, key, variant, cluster); };
  t.work_time = table.duration(p, "work_time");
  if (applies("work_timeout")) t.work_timeout = table.duration(p, "work_timeout");
  if (applies("vote_timeout")) t.vote_timeout = table.duration(p, "vote_timeout");
  if (applies("decision_timeout")) t.decision_timeout = table.duration(p, "decision_timeout");
  if (applies("retry_interval")) t.retry_interval = table.duration(p, "retry_interval");
  if (applies("resend_interval")) t.resend_interval = table.duration(p, "resend_interval");
  if (applies("ack_timeout")) t.ack_timeout = table.duration(p, "ack_timeout");
  if (applies("termination_wait")) t.termination_wait = table.duration(p, "termination_wait");
  t.liveness_bound = table.duration(p, "liveness_bound");  // refused without its checks
  if (applies("recovery_scan_interval")) t.recovery_scan_interval = table.duration(p, "recovery_scan_interval");
  if (applies("orphan_safety_interval")) t.orphan_safety_interval = table.duration(p, "orphan_safety_interval");
  if (applies("log_retry_interval")) t.log_retry_interval = table.duration(p, "log_retry_interval");
}

// The hanging-transaction defence and the recovery role (issue 14, atomic commit 3 and 4).
void read_recovery(Settings& s, ConfigReader& protocol) {
  const SettingTable& t = setting_table();
  s.branch_fence = t.boolean(protocol, "branch_fence");
  t.check_only_in(protocol, "branch_fence", s.branch_fence, to_string(s.variant));
  // The recovery manager resolves by the coordinator's log and presumes abort without a
  // record (Narayana's XA recovery): only variants whose coordinator logs and presumes abort.
  if (!s.recoveries.empty() && (!s.rules.coordinator_logs || s.rules.presumption != Presumption::kAbort ||
                                s.variant == Variant::kThreePhase || s.variant == Variant::kPaxosCommit)) {
    fail_role_count(protocol, "recovery", "nodes of role \"recovery\" need a variant whose coordinator logs and "
                                          "presumes abort (basic or presumed-abort)");
  }
  // The recovery manager asks participants by node; replicated participants move their
  // branches to a promoted replica it would not know of.
  if (!s.recoveries.empty() && s.replication.enabled) {
    const std::string problem = "nodes of role \"recovery\" do not work with replicated participants "
                                "(the recovery manager would not follow a failover); use one or the other";
    if (protocol.has("replication")) protocol.fail("replication", problem);
    fail_role_count(protocol, "recovery", problem);
  }
  if (s.branch_fence && s.mistakes.participant_forget_unknown_abort) {
    protocol.fail("branch_fence", "expected false with the mistake participant_forget_unknown_abort, which "
                                  "removes the defence the fence makes durable; switch one of them off");
  }
}

void read_mistakes(Settings& s, ConfigReader& p, const Cluster& cluster) {
  const SettingTable& t = setting_table();
  ConfigReader m = p.object("mistakes");
  Mistakes& x = s.mistakes;
  // Switching a mistake on where it has no meaning is an error, not a silent no-op; so is
  // a setting of a mistake that is off (lazy_flush_delay).
  const std::string variant = to_string(s.variant);
  t.refuse_inapplicable(m, variant, cluster);
  auto flag = [&](const std::string& key) {
    bool on = t.boolean(m, key);
    t.check_only_in(m, key, on, variant);
    return on;
  };
  x.participant_prepare_unlogged = flag("participant_prepare_unlogged");
  x.coordinator_lazy_decision_log = flag("coordinator_lazy_decision_log");
  if (t.applies(m, "lazy_flush_delay", variant, cluster)) x.lazy_flush_delay = t.duration(m, "lazy_flush_delay");
  x.heuristic_abort_after = t.optional_duration(m, "heuristic_abort_after");
  t.check_only_in(m, "heuristic_abort_after", x.heuristic_abort_after.has_value(), variant);
  x.coordinator_skip_collecting = flag("coordinator_skip_collecting");
  x.coordinator_forget_before_acks = flag("coordinator_forget_before_acks");
  x.participant_forget_unknown_abort = flag("participant_forget_unknown_abort");
  x.participant_no_branch_timeout = flag("participant_no_branch_timeout");
  if (t.applies(m, "recovery_presumes_abort_in_flight", variant, cluster)) {
    x.recovery_presumes_abort_in_flight = flag("recovery_presumes_abort_in_flight");
  }
  x.coordinator_ignores_log_errors = flag("coordinator_ignores_log_errors");
  x.coordinator_never_resends = flag("coordinator_never_resends");
  x.participant_never_inquires = flag("participant_never_inquires");
  x.participant_no_record_checksums = flag("participant_no_record_checksums");
  m.finish();
}

void read_replication(Settings& s, ConfigReader& p, const Cluster& cluster) {
  const SettingTable& t = setting_table();
  Replication& x = s.replication;
  x.replicas = cluster.with_role("replica");
  // Without replica nodes (or in a variant without replication) the section is refused
  // when given (refuse_inapplicable) and replication is off.
  if (!t.applies(p, "replication", to_string(s.variant), cluster)) {
    // The loader refuses replica nodes of another variant at their nodes entry (role_table());
    // so does a direct read.
    if (!x.replicas.empty()) {
      fail_role_count(p, "replica", "replicated participants apply only to the variants basic, presumed-abort and "
                                    "presumed-commit");
    }
    return;
  }
  // The section's own keys first, so that a misspelt key is what an error names.
  ConfigReader r = p.object("replication");
  x.synchronous = t.choice(r, "mode") == "sync";
  x.interval = t.duration(r, "interval");
  x.lease = t.duration(r, "lease");
  x.failover_after = t.duration(r, "failover_after");
  require_order(r, {"lease", x.lease}, SettingOrder::kBelow, {"failover_after", x.failover_after}, Blame::kHigh,
                ", so that a replica never promotes itself while its primary still serves");
  require_order(r, {"interval", x.interval}, SettingOrder::kBelow, {"lease", x.lease}, Blame::kHigh,
                ", or the primary's lease lapses between heartbeats");
  r.finish();
  if (x.replicas.size() != s.participants.size()) {
    fail_role_count(p, "replica", "replicated participants need one replica node per participant: " +
                std::to_string(s.participants.size()) + " participants, " +
                std::to_string(x.replicas.size()) + " replicas");
  }
  if (s.cooperative_termination) {
    p.fail("cooperative_termination", "expected false with replicated participants "
                                      "(peers are not routed to a promoted replica)");
  }
  x.enabled = true;
  x.group_by_index = s.participants;
}

std::string account_arg(ConfigReader& r, const std::string& key, const AccountLayout& layout) {
  setting_table().row(r, key);
  if (!r.has(key)) r.fail(key, "expected an account name such as \"a0\"");
  std::string a = r.string(key, "");
  if (layout.home_of(a) == kNoNode) {
    r.fail(key, "no account \"" + a + "\"; accounts are a0 .. a" +
                    std::to_string(layout.accounts() - 1));
  }
  return a;
}

ScriptedTx read_scripted(ConfigReader& e, const Settings& s, const Cluster& cluster, Duration duration) {
  const SettingTable& table = setting_table();
  ScriptedTx tx;
  // Required: null, the same as left out elsewhere, is refused too (not read as 0).
  if (!e.has("at") || e.json()["at"].is_null()) e.fail("at", "expected when the client starts the transaction");
  tx.at = table.duration(e, "at", Duration::zero());
  require_order(e, {"at", tx.at}, SettingOrder::kAtMost, OrderedSetting::run_duration(duration), Blame::kLow);
  table.row(e, "client");
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
    tx.amount = table.integer(t, "amount");
    t.finish();
  } else if (e.has("audit")) {
    tx.kind = ScriptedTx::Kind::kAudit;
    if (!table.boolean(e, "audit")) e.fail("audit", "expected true");
  } else {
    ConfigReader d = e.object("double");
    tx.kind = ScriptedTx::Kind::kDouble;
    table.row(d, "participant");
    tx.participant = d.string("participant", "");
    auto id = cluster.find(tx.participant);
    if (!id || cluster.role(*id) != "participant") {
      d.fail("participant", "expected the name of a participant node");
    }
    tx.value = table.integer(d, "value");
    d.finish();
  }
  e.finish();
  return tx;
}

void read_workload(Settings& s, ConfigReader& w, const Cluster& cluster, Duration duration) {
  const SettingTable& t = setting_table();
  Workload& x = s.workload;
  x.accounts = t.integer(w, "accounts");
  x.initial_balance = t.integer(w, "initial_balance");
  x.client_timeout = t.duration(w, "client_timeout");
  s.layout = AccountLayout(x.accounts, s.participants);
  for (ConfigReader& e : w.array("script")) x.script.push_back(read_scripted(e, s, cluster, duration));
  if (w.has("random") && !w.json()["random"].is_null()) {  // null: left out, as everywhere
    ConfigReader r = w.object("random");
    RandomWorkload rw;
    rw.interval = t.duration(r, "interval");
    rw.start = t.duration(r, "start");
    rw.stop = t.duration(r, "stop", duration);
    // An empty window starts no transaction, and a run without one passes every check.
    require_order(r, {"start", rw.start}, SettingOrder::kBelow, OrderedSetting::run_duration(duration), Blame::kLow);
    require_order(r, {"start", rw.start}, SettingOrder::kBelow, {"stop", rw.stop, "duration"}, Blame::kHigh);
    rw.amount_max = t.integer(r, "amount_max");
    rw.participants_per_transfer = t.integer(r, "participants_per_transfer");
    if (s.participants.size() < 2) r.fail_here("random transfers need at least two participants");
    if (rw.participants_per_transfer > static_cast<int64_t>(s.participants.size())) {
      r.fail("participants_per_transfer", "expected at most the number of participants (" +
                                              std::to_string(s.participants.size()) + ")");
    }
    if (x.accounts < static_cast<int64_t>(s.participants.size())) {
      const std::string problem = "expected at least one account per participant (" +
                                  std::to_string(x.accounts) + " accounts, " +
                                  std::to_string(s.participants.size()) + " participants)";
      if (w.has("accounts")) w.fail("accounts", problem);
      fail_role_count(w, "participant", problem);
    }
    rw.audit_fraction = t.number(r, "audit_fraction");
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
                       const Cluster& cluster, Duration duration, const std::vector<std::string>* checks) {
  Settings s;
  s.variant = parse_variant(variant);
  s.rules = rules_for(s.variant);
  read_roles(s, cluster, protocol);
  setting_table().refuse_inapplicable(protocol, variant, cluster, checks);
  s.cooperative_termination = setting_table().boolean(protocol, "cooperative_termination");
  setting_table().check_only_in(protocol, "cooperative_termination", s.cooperative_termination, variant);
  read_timing(s.timing, protocol, variant, cluster);
  read_mistakes(s, protocol, cluster);
  read_replication(s, protocol, cluster);
  read_recovery(s, protocol);
  read_workload(s, workload, cluster, duration);
  return s;
}

}  // namespace dsim::twopc
