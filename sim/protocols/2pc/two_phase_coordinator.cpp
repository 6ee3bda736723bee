#include "protocols/2pc/two_phase_coordinator.h"

#include <algorithm>

#include "protocols/2pc/disk_errors.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/recovery_manager.h"

namespace dsim::twopc {

void TwoPhaseCoordinator::start_commit(Context& ctx, Tx& tx) {
  tx.phase = Phase::kVoting;
  if (settings().variant == Variant::kSeed) {
    // The answers to the request were the votes: commit straight away.
    for (NodeId p : tx.participants()) tx.votes[p] = VoteValue::kYes;
    decide(ctx, tx, Outcome::kCommit, "answers");
    return;
  }
  tx.hops = 1;  // PREPARE is the first message delay of the commit protocol
  tx.forces = 0;
  if (settings().rules.collecting_record && !settings().mistakes.coordinator_skip_collecting) {
    tx.logged = true;
    // PREPARE only once COLLECTING is durable; the vote timeout still runs meanwhile.
    if (!make_durable(ctx, tx, Forced::kCollecting, append_record(ctx, tx, Forced::kCollecting), "")) return;
    trace_log(ctx, tx.id, rec::Collecting::kName, true);
    tx.forces = 1;
  }
  send_prepares(ctx, tx);
}

void TwoPhaseCoordinator::send_prepares(Context& ctx, Tx& tx) {
  for (NodeId p : tx.participants()) {
    msg::Prepare m;
    static_cast<msg::TxMessage&>(m) = about(tx);
    m.epoch = tx.epochs[p];
    m.plan = plan_of(tx);
    ctx.send(p, std::move(m));
  }
}

void TwoPhaseCoordinator::on_protocol_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* vote = m.as<msg::Vote>()) {
    on_vote(ctx, from, *vote);
  } else if (const auto* ack = m.as<msg::Ack>()) {
    on_ack(ctx, from, *ack);
  } else if (const auto* inquire = m.as<msg::Inquire>()) {
    on_inquire(ctx, from, *inquire);
  } else if (const auto* query = m.as<msg::LogQuery>()) {
    answer_log_query(ctx, from, *query);  // the recovery role reads the log (recovery_manager.h)
  }
}

void TwoPhaseCoordinator::on_vote(Context& ctx, NodeId from, const msg::Vote& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->phase != Phase::kVoting || tx->votes.count(from) != 0) return;
  if (std::find(tx->participants().begin(), tx->participants().end(), from) == tx->participants().end()) return;
  tx->votes[from] = m.vote;
  tx->hops = std::max(tx->hops, m.hops);
  tx->forces = std::max(tx->forces, m.forces);
  if (m.vote == VoteValue::kNo) {
    decide(ctx, *tx, Outcome::kAbort, "votes");
  } else if (tx->votes.size() == tx->participants().size()) {
    decide(ctx, *tx, Outcome::kCommit, "votes");
  }
}

void TwoPhaseCoordinator::on_vote_timeout(Context& ctx, Tx& tx) { decide(ctx, tx, Outcome::kAbort, "timeout"); }

void TwoPhaseCoordinator::decide(Context& ctx, Tx& tx, Outcome outcome, std::string_view via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = outcome;
  tx.targets.clear();
  for (NodeId p : tx.participants()) {
    auto v = tx.votes.find(p);
    std::optional<VoteValue> vote;
    if (v != tx.votes.end()) vote = v->second;
    // Commit goes to who promised; abort to everyone who might be holding a promise.
    bool hear = outcome == Outcome::kCommit ? vote == VoteValue::kYes
                                            : vote != VoteValue::kNo && vote != VoteValue::kReadOnly;
    if (hear) tx.targets.push_back(p);
  }
  if (log_decision(ctx, tx, via)) ++tx.forces;
  if (tx.awaiting_log) return;  // announced once the record is durable
  announce_decision(ctx, tx, via);
}

void TwoPhaseCoordinator::announce_decision(Context& ctx, Tx& tx, std::string_view via) {
  announce(ctx, tx, tx.targets, via);
  tell_client(ctx, tx);
  await_acks_or_end(ctx, tx);
}

bool TwoPhaseCoordinator::log_decision(Context& ctx, Tx& tx, std::string_view via) {
  const CommitRules& r = settings().rules;
  bool commit = *tx.decision == Outcome::kCommit;
  if (!r.coordinator_logs) return false;
  // A transaction every participant only read needs no record (PA and PC) — unless PC's
  // COLLECTING record is open: recovery would turn it into an abort, so close it durably.
  if (tx.targets.empty() && !tx.logged) return false;
  if (!commit && !r.log_coordinator_abort) return false;
  bool force = commit || r.force_coordinator_abort;
  DiskStatus appended = append_record(ctx, tx, Forced::kDecision);
  tx.logged = true;
  if (force && settings().mistakes.coordinator_lazy_decision_log) {
    // The mistake: the record waits for the next group commit, the decision does not.
    ctx.trace(ev::Log{tx.id, to_string(*tx.decision), false, true});
    if (flush_timer_ == 0) flush_timer_ = ctx.set_timer(settings().mistakes.lazy_flush_delay, TxTimer::kFlush, 0);
    return false;
  }
  if (force && !make_durable(ctx, tx, Forced::kDecision, appended, via)) return false;
  trace_log(ctx, tx.id, to_string(*tx.decision), force);
  return force;
}

void TwoPhaseCoordinator::await_acks_or_end(Context& ctx, Tx& tx) {
  const CommitRules& r = settings().rules;
  bool commit = *tx.decision == Outcome::kCommit;
  bool needs_acks = !tx.targets.empty() && (commit ? r.commit_acks : r.abort_acks);
  if (commit && settings().mistakes.coordinator_forget_before_acks) needs_acks = false;
  if (needs_acks) {
    if (settings().mistakes.coordinator_never_resends) return;  // waits for acks that may never come
    wait(ctx, tx, settings().timing.resend_interval, TxTimer::kResend);
  } else {
    end(ctx, tx);
  }
}

void TwoPhaseCoordinator::on_ack(Context& ctx, NodeId from, const msg::Ack& m) {
  Tx* tx = find(m.tx);
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
  Outcome outcome = *tx.decision;
  for (NodeId p : to) ctx.send(p, msg::Decision{about(tx), outcome});
  ctx.trace(ev::Resend{tx.id, outcome, to, &ctx.cluster()});
  wait(ctx, tx, settings().timing.resend_interval, TxTimer::kResend);
}

void TwoPhaseCoordinator::on_inquire(Context& ctx, NodeId from, const msg::Inquire& m) {
  const TxId& id = m.tx;
  Tx* tx = find(id);
  if (tx != nullptr) {
    if (tx->phase != Phase::kDecided) return;  // still deciding; it will hear
    if (tx->awaiting_log) return;               // not durable yet: it will hear
    Outcome outcome = *tx->decision;
    ctx.send(from, msg::Decision{about(*tx), outcome});
    ctx.trace(ev::Answer{id, outcome, false, from, &ctx.cluster()});
    return;
  }
  Presumption p = settings().rules.presumption;
  if (p == Presumption::kNone) return;
  Outcome outcome = p == Presumption::kCommit ? Outcome::kCommit : Outcome::kAbort;
  ctx.send(from, msg::Decision{{id, m.hops + 1, m.forces}, outcome});
  ctx.trace(ev::Answer{id, outcome, true, from, &ctx.cluster()});
}

void TwoPhaseCoordinator::on_protocol_timer(Context& ctx, const Timer& t, Tx* tx) {
  if (t.is(TxTimer::kResend) && tx != nullptr && tx->phase == Phase::kDecided) {
    resend(ctx, *tx);
  } else if (t.is(TxTimer::kLogRetry)) {
    retry_forces(ctx);
  } else if (t.is(TxTimer::kFlush)) {
    flush_timer_ = 0;
    ctx.storage().sync();
    ctx.trace(ev::LogFlush{});
  }
}

void TwoPhaseCoordinator::end(Context& ctx, Tx& tx) {
  if (tx.logged && settings().rules.coordinator_logs) {
    log(ctx, tx.id, rec::End{tx.id}, false);
  }
  forget(ctx, tx);
}

void TwoPhaseCoordinator::trace_log(Context& ctx, const TxId& tx, std::string_view rec, bool force) {
  ctx.trace(ev::Log{tx, rec, force, false});
}

void TwoPhaseCoordinator::on_recover(Context& ctx) {
  if (!settings().rules.coordinator_logs) {
    CoordinatorBase::on_recover(ctx);
    return;
  }
  // Copies, not pointers into the log: recovery itself writes to it.
  struct Decided {
    Outcome outcome;
    std::vector<NodeId> targets;
  };
  std::map<TxId, Decided, TxId::by_text> decided;  // in text order, as the trace shows them
  std::map<TxId, std::vector<NodeId>, TxId::by_text> collecting;
  const RecordLog wal = ctx.storage().read_records("wal");
  for (size_t i = 0; i < wal.size(); ++i) {
    const Payload& r = wal[i];
    if (wal.torn(i)) {
      // Half written by a crash, so never synced and never announced: dropped, as a log
      // with record checksums does.
      ctx.trace(ev::TornRecord{r.name(), record_tx(r), true});
      continue;
    }
    if (const auto* c = r.as<rec::Collecting>()) {
      collecting[c->tx] = c->participants;
    } else if (const auto* commit = r.as<rec::CommitDecision>()) {
      decided[commit->tx] = Decided{Outcome::kCommit, commit->targets};
    } else if (const auto* abort = r.as<rec::AbortDecision>()) {
      decided[abort->tx] = Decided{Outcome::kAbort, abort->targets};
    } else if (const auto* end = r.as<rec::End>()) {
      decided.erase(end->tx);
      collecting.erase(end->tx);
    }
  }
  std::vector<std::pair<TxId, Outcome>> decisions;
  for (const auto& [id, d] : decided) decisions.emplace_back(id, d.outcome);
  std::vector<TxId> undecided;
  for (const auto& [id, p] : collecting) {
    if (decided.count(id) == 0) undecided.push_back(id);
  }
  ctx.trace(ev::CoordinatorRecovered{&decisions, &undecided, to_string(settings().rules.presumption)});
  for (const auto& [id, d] : decided) {
    Tx& tx = adopt(id, d.targets);
    tx.phase = Phase::kDecided;
    tx.decision = d.outcome;
    tx.targets = tx.participants();
    tx.logged = true;
    bool commit = *tx.decision == Outcome::kCommit;
    if (commit ? settings().rules.commit_acks : settings().rules.abort_acks) {
      if (settings().mistakes.coordinator_never_resends) continue;  // waits for acks only
      resend(ctx, tx);
    } else {
      end(ctx, tx);
    }
  }
  for (const auto& [id, p] : collecting) {
    if (decided.count(id) != 0) continue;
    // PC: it was collecting votes when it crashed; nobody can have been told commit.
    Tx& tx = adopt(id, p);
    tx.logged = true;
    decide(ctx, tx, Outcome::kAbort, "recovery");
  }
}

}  // namespace dsim::twopc
