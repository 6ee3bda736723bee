#include "protocols/twopc/two_phase_coordinator.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

void TwoPhaseCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  if (settings().variant == Variant::kSeed) {
    // The answers to the request were the votes: commit straight away.
    for (NodeId p : tx.participants) tx.votes[p] = "yes";
    decide(ctx, tx, Outcome::kCommit, "answers");
    return;
  }
  tx.hops = 1;  // PREPARE is the first message delay of the commit protocol
  tx.forces = 0;
  if (settings().rules.collecting_record && !settings().mistakes.coordinator_skip_collecting) {
    log(ctx, tx.id, json_object("rec", "collecting",
                                "tx", tx.id,
                                "participants", names(ctx, tx.participants)),
        true);
    tx.logged = true;
    tx.forces = 1;
  }
  Json participants = names(ctx, tx.participants);
  for (NodeId p : tx.participants) {
    send(ctx, p, msg::kPrepare, tx, json_object("epoch", tx.epochs[p],
                                                "participants", participants));
  }
}

void TwoPhaseCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kVote) {
    on_vote(ctx, from, m.body());
  } else if (m.type() == msg::kAck) {
    on_ack(ctx, from, m.body());
  } else if (m.type() == msg::kInquire) {
    on_inquire(ctx, from, m.body());
  }
}

void TwoPhaseCoordinator::on_vote(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr || tx->phase != Phase::kVoting || tx->votes.count(from) != 0) return;
  if (std::find(tx->participants.begin(), tx->participants.end(), from) == tx->participants.end()) return;
  std::string vote = body.at("vote").get<std::string>();
  tx->votes[from] = vote;
  tx->hops = std::max(tx->hops, msg::hops_of(body));
  tx->forces = std::max(tx->forces, msg::forces_of(body));
  if (vote == "no") {
    decide(ctx, *tx, Outcome::kAbort, "votes");
  } else if (tx->votes.size() == tx->participants.size()) {
    decide(ctx, *tx, Outcome::kCommit, "votes");
  }
}

void TwoPhaseCoordinator::on_vote_timeout(Context& ctx, Tx& tx) { decide(ctx, tx, Outcome::kAbort, "timeout"); }

void TwoPhaseCoordinator::decide(Context& ctx, Tx& tx, Outcome outcome, const std::string& via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = outcome;
  tx.targets.clear();
  for (NodeId p : tx.participants) {
    auto v = tx.votes.find(p);
    std::string vote = v == tx.votes.end() ? "" : v->second;
    // Commit goes to who promised; abort to everyone who might be holding a promise.
    bool hear = outcome == Outcome::kCommit ? vote == "yes" : vote != "no" && vote != "read_only";
    if (hear) tx.targets.push_back(p);
  }
  if (log_decision(ctx, tx)) ++tx.forces;
  announce(ctx, tx, tx.targets, via);
  tell_client(ctx, tx);
  await_acks_or_end(ctx, tx);
}

bool TwoPhaseCoordinator::log_decision(Context& ctx, Tx& tx) {
  const CommitRules& r = settings().rules;
  bool commit = *tx.decision == Outcome::kCommit;
  if (!r.coordinator_logs) return false;
  // A transaction every participant only read needs no record (PA and PC) — unless PC's
  // COLLECTING record is open: recovery would turn it into an abort, so close it durably.
  if (tx.targets.empty() && !tx.logged) return false;
  if (!commit && !r.log_coordinator_abort) return false;
  bool force = commit || r.force_coordinator_abort;
  Json rec = json_object("rec", to_string(*tx.decision),
                         "tx", tx.id,
                         "targets", names(ctx, tx.targets));
  tx.logged = true;
  if (force && settings().mistakes.coordinator_lazy_decision_log) {
    // The mistake: the record waits for the next group commit, the decision does not.
    ctx.storage().append("wal", std::move(rec));
    ctx.trace("log", json_object("tx", tx.id,
                                 "rec", to_string(*tx.decision),
                                 "forced", false,
                                 "lazy", true));
    if (flush_timer_ == 0) flush_timer_ = ctx.set_timer(settings().mistakes.lazy_flush_delay, "flush", 0);
    return false;
  }
  log(ctx, tx.id, std::move(rec), force);
  return force;
}

void TwoPhaseCoordinator::await_acks_or_end(Context& ctx, Tx& tx) {
  const CommitRules& r = settings().rules;
  bool commit = *tx.decision == Outcome::kCommit;
  bool needs_acks = !tx.targets.empty() && (commit ? r.commit_acks : r.abort_acks);
  if (commit && settings().mistakes.coordinator_forget_before_acks) needs_acks = false;
  if (needs_acks) {
    wait(ctx, tx, settings().timing.resend_interval, "resend");
  } else {
    end(ctx, tx);
  }
}

void TwoPhaseCoordinator::on_ack(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr || tx->phase != Phase::kDecided) return;
  tx->acked.insert(from);
  bool all = std::all_of(tx->targets.begin(), tx->targets.end(),
                         [&](NodeId p) { return tx->acked.count(p) != 0; });
  if (all) end(ctx, *tx);
}

void TwoPhaseCoordinator::resend(Context& ctx, Tx& tx) {
  std::vector<NodeId> to;
  for (NodeId p : tx.targets) {
    if (tx.acked.count(p) == 0) to.push_back(p);
  }
  const char* outcome = to_string(*tx.decision);
  for (NodeId p : to) send(ctx, p, msg::kDecision, tx, json_object("outcome", outcome));
  ctx.trace("resend", json_object("tx", tx.id, "outcome", outcome, "to", names(ctx, to)));
  wait(ctx, tx, settings().timing.resend_interval, "resend");
}

void TwoPhaseCoordinator::on_inquire(Context& ctx, NodeId from, const Json& body) {
  std::string id = body.at("tx").get<std::string>();
  Tx* tx = find(id);
  if (tx != nullptr) {
    if (tx->phase != Phase::kDecided) return;  // still deciding; it will hear
    const char* outcome = to_string(*tx->decision);
    send(ctx, from, msg::kDecision, *tx, json_object("outcome", outcome));
    ctx.trace("answer", json_object("tx", id,
                                    "outcome", outcome,
                                    "presumed", false,
                                    "to", Json::array({ctx.cluster().name(from)})));
    return;
  }
  Presumption p = settings().rules.presumption;
  if (p == Presumption::kNone) return;
  const char* outcome = p == Presumption::kCommit ? msg::kCommit : msg::kAbort;
  ctx.send(from, msg::about(msg::kDecision, id, msg::hops_of(body) + 1, msg::forces_of(body),
                            json_object("outcome", outcome)));
  ctx.trace("answer", json_object("tx", id,
                                  "outcome", outcome,
                                  "presumed", true,
                                  "to", Json::array({ctx.cluster().name(from)})));
}

void TwoPhaseCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.kind == "resend" && tx != nullptr && tx->phase == Phase::kDecided) {
    resend(ctx, *tx);
  } else if (t.kind == "flush") {
    flush_timer_ = 0;
    ctx.storage().sync();
    ctx.trace("log_flush", Json::object());
  }
}

void TwoPhaseCoordinator::end(Context& ctx, Tx& tx) {
  if (tx.logged && settings().rules.coordinator_logs) {
    log(ctx, tx.id, json_object("rec", "end", "tx", tx.id), false);
  }
  forget(ctx, tx);
}

void TwoPhaseCoordinator::log(Context& ctx, const std::string& tx, Json record, bool force) {
  std::string rec = record.at("rec").get<std::string>();
  ctx.storage().append("wal", std::move(record));
  if (force) ctx.storage().sync();
  ctx.trace("log", json_object("tx", tx, "rec", rec, "forced", force));
}

void TwoPhaseCoordinator::on_recover(Context& ctx) {
  if (!settings().rules.coordinator_logs) {
    CoordinatorBase::on_recover(ctx);
    return;
  }
  std::map<std::string, Json> decided;
  std::map<std::string, Json> collecting;
  for (const Json& r : ctx.storage().read_log("wal")) {
    std::string rec = r.at("rec").get<std::string>();
    std::string id = r.at("tx").get<std::string>();
    if (rec == "collecting") collecting[id] = r.at("participants");
    if (rec == "commit" || rec == "abort") decided[id] = r;
    if (rec == "end") {
      decided.erase(id);
      collecting.erase(id);
    }
  }
  Json decisions = Json::object();
  for (const auto& [id, r] : decided) decisions[id] = r.at("rec");
  Json undecided = Json::array();
  for (const auto& [id, p] : collecting) {
    if (decided.count(id) == 0) undecided.push_back(id);
  }
  ctx.trace("recovered", json_object("decisions", decisions,
                                     "collecting", undecided,
                                     "presumption", to_string(settings().rules.presumption)));
  auto node_ids = [&ctx](const Json& list) {
    std::vector<NodeId> out;
    for (const Json& n : list) out.push_back(*ctx.cluster().find(n.get<std::string>()));
    return out;
  };
  for (const auto& [id, r] : decided) {
    Tx& tx = adopt(id, node_ids(r.at("targets")));
    tx.phase = Phase::kDecided;
    tx.decision = *outcome_from(r.at("rec").get<std::string>());
    tx.targets = tx.participants;
    tx.logged = true;
    bool commit = *tx.decision == Outcome::kCommit;
    if (commit ? settings().rules.commit_acks : settings().rules.abort_acks) {
      resend(ctx, tx);
    } else {
      end(ctx, tx);
    }
  }
  for (const auto& [id, p] : collecting) {
    if (decided.count(id) != 0) continue;
    // PC: it was collecting votes when it crashed; nobody can have been told commit.
    Tx& tx = adopt(id, node_ids(p));
    tx.logged = true;
    decide(ctx, tx, Outcome::kAbort, "recovery");
  }
}

}  // namespace dsim::twopc
