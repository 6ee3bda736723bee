#include "protocols/2pc/participant_base.h"

#include <algorithm>

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/records.h"

namespace dsim::twopc {

// As the header says: every transaction of an incarnation stays in the table.
static_assert(sizeof(ParticipantBase::Tx) <= 104, "ParticipantBase::Tx grew: keep it small");

const char* ParticipantBase::state_name(State s) {
  switch (s) {
    case State::kWorking:
      return "working";
    case State::kExecuted:
      return "executed";
    case State::kPrepared:
      return "prepared";
    case State::kPreCommitted:
      return "precommitted";
    case State::kCommitted:
      return "committed";
    case State::kAborted:
      return "aborted";
    case State::kReadOnly:
      return "read_only";
  }
  return "?";
}

ParticipantBase::ParticipantBase(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

std::optional<ParticipantBase::State> ParticipantBase::state_of(const TxId& tx) const {
  const Tx* t = txs_.find(tx);
  if (t == nullptr) return std::nullopt;
  return t->state;
}

std::optional<ParticipantBase::State> ParticipantBase::state_of(std::string_view tx) const {
  std::optional<State> out;
  txs_.for_each([&](const Tx& t) {
    if (t.id.str() == tx) out = t.state;
  });
  return out;
}

bool ParticipantBase::holds_locks(std::string_view tx) const { return locks_.holds_any(tx); }

int64_t ParticipantBase::balance(const std::string& account) const {
  return balances_.get(account);
}

ParticipantBase::Tx* ParticipantBase::find(const TxId& id) {
  return txs_.find(id);
}

std::vector<std::string> ParticipantBase::names(Context& ctx, const std::vector<NodeId>& nodes) const {
  std::vector<std::string> out;
  for (NodeId n : nodes) out.push_back(ctx.cluster().name(n));
  return out;
}

// ------------------------------------------------------------------ start and recovery

void ParticipantBase::on_start(Context& ctx) {
  my_accounts_ = s_->layout.accounts_of(ctx.self());
  balances_.reset(s_->layout, ctx.self());
  locks_ = LockTable(my_accounts_);
  number_lock_entries();
  txs_.reserve(s_->expected_transactions());
  if (!s_->rules.participant_logs) {
    // The seed design keeps everything in memory: a restart starts from scratch.
    for (const std::string& a : my_accounts_) balances_[a] = s_->workload.initial_balance;
    const ev::Balances balances = balances_.as_map();
    if (ctx.incarnation() == 0) {
      ctx.trace(ev::Open{&balances});
    } else {
      const std::vector<TxId> none;
      ctx.trace(ev::ParticipantRecovered{&none, &balances});
    }
    return;
  }
  if (ctx.storage().read_records("wal").empty()) {
    open_fresh(ctx);
  } else {
    recover(ctx);
  }
}

void ParticipantBase::open_fresh(Context& ctx) {
  for (const std::string& a : my_accounts_) balances_[a] = s_->workload.initial_balance;
  const ev::Balances balances = balances_.as_map();
  ctx.storage().append("wal", rec::Open{balances});
  ctx.storage().sync();
  ctx.trace(ev::Open{&balances});
}

void ParticipantBase::recover(Context& ctx) {
  // The starting balances, should OPEN itself never have reached the disk.
  for (const std::string& a : my_accounts_) balances_[a] = s_->workload.initial_balance;
  const RecordLog wal = ctx.storage().read_records("wal");
  for (size_t i = 0; i < wal.size(); ++i) {
    std::optional<Payload> garbage;
    const Payload* read = wal.torn(i) ? read_torn(ctx, wal[i], garbage) : &wal[i];
    if (read == nullptr) continue;  // checksum mismatch: dropped
    const Payload& r = *read;
    if (const auto* open = r.as<rec::Open>()) {
      balances_.assign(open->balances);
    } else if (const auto* prepared = r.as<rec::Prepared>()) {
      Tx& tx = recovered(prepared->tx);
      tx.state = State::kPrepared;
      tx.logged_prepared = true;
      tx.coordinator = prepared->coordinator;
      tx.plan = prepared->plan;
      tx.branch = prepared->branch == rec::Prepared::kNoBranch ? kNoBranch : prepared->branch;
    } else if (const auto* precommit = r.as<rec::PreCommit>()) {
      Tx& tx = recovered(precommit->tx);
      if (tx.state == State::kPrepared) tx.state = State::kPreCommitted;
    } else if (const auto* commit = r.as<rec::Commit>()) {
      Tx& tx = recovered(commit->tx);
      if (tx.state != State::kCommitted) {
        for (const auto& [account, delta] : commit->deltas) balances_[account] += delta;
      }
      tx.state = State::kCommitted;
    } else if (const auto* abort = r.as<rec::Abort>()) {
      Tx& tx = recovered(abort->tx);
      if (tx.state != State::kCommitted) tx.state = State::kAborted;
    }
  }
  std::vector<TxId> doubtful;
  txs_.for_each([&](const Tx& tx) {
    if (tx.state == State::kPrepared || tx.state == State::kPreCommitted) doubtful.push_back(tx.id);
  });
  std::sort(doubtful.begin(), doubtful.end(), TxId::by_text{});  // in id order, as the log's readers expect
  for (const TxId& id : doubtful) relock(ctx, *txs_.find(id));
  const ev::Balances balances = balances_.as_map();
  ctx.trace(ev::ParticipantRecovered{&doubtful, &balances});
  for (const TxId& id : doubtful) on_recovered_in_doubt(ctx, *txs_.find(id));
}

ParticipantBase::Tx& ParticipantBase::recovered(const TxId& id) {
  return txs_.get_or_add(id);
}

void ParticipantBase::number_lock_entries() {
  entry_of_slot_.clear();
  for (const std::string& account : my_accounts_) {
    entry_of_slot_.push_back(static_cast<uint32_t>(locks_.entry_of(account)));
  }
}

const Op* ParticipantBase::request_locks(Context& ctx, OpList ops) {
  // Accounts go by number (the layout's), never by name; the net changes go into a reused
  // vector, as a transaction has a few ops.
  const AccountLayout& layout = s_->layout;
  const size_t homes = layout.participants().size();
  LockRequest& r = lock_request_;
  r.change.clear();
  bool read_all = false;
  for (const Op& op : ops) {
    if (op.kind == Op::Kind::kReadAll) read_all = true;
    if (op.kind != Op::Kind::kAdd) continue;
    const int64_t i = op.account;
    if (i >= layout.accounts() || layout.participants()[static_cast<size_t>(i) % homes] != ctx.self()) return &op;
    auto slot = static_cast<uint32_t>(static_cast<size_t>(i) / homes);
    uint32_t entry = entry_of_slot_[slot];
    auto it = std::find_if(r.change.begin(), r.change.end(), [&](const Change& c) { return c.entry == entry; });
    if (it == r.change.end()) {
      r.change.push_back(Change{entry, slot, op.amount});
    } else {
      it->delta += op.amount;
    }
  }
  std::sort(r.change.begin(), r.change.end(), [](const Change& a, const Change& b) { return a.entry < b.entry; });
  r.exclusive.clear();
  for (const Change& c : r.change) r.exclusive.push_back(c.entry);
  r.shared.clear();
  if (read_all) {
    // A lock held exclusively covers reading too.
    for (uint32_t entry : entry_of_slot_) {
      if (!std::binary_search(r.exclusive.begin(), r.exclusive.end(), entry)) r.shared.push_back(entry);
    }
  }
  return nullptr;
}

void ParticipantBase::relock(Context& ctx, Tx& tx) {
  // Its ops were all this participant's when it executed (or it would not be prepared).
  if (request_locks(ctx, tx.ops()) != nullptr) return;
  TxId holder;
  tx.locked = locks_.try_lock(tx.id, lock_request_.exclusive, lock_request_.shared, &holder);
}

void ParticipantBase::release_locks(Context& ctx, Tx& tx) {
  if (!tx.locked) return;
  request_locks(ctx, tx.ops());  // the same ops as when it took them: the same locks
  locks_.release(tx.id, lock_request_.exclusive);
  locks_.release(tx.id, lock_request_.shared);
  tx.locked = false;
}

// ------------------------------------------------------------------- execution phase

void ParticipantBase::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* execute = m.as<msg::Execute>()) {
    on_execute(ctx, from, *execute);
  } else {
    on_protocol_message(ctx, from, m);
  }
}

std::string ParticipantBase::Refusal::text() const {
  switch (kind) {
    case Kind::kNone:
      return "";
    case Kind::kNoAccount:
      return "no account " + AccountLayout::account_name(foreign_account) + " here";
    case Kind::kInsufficientFunds:
      return "insufficient funds in " + std::string(account);
    case Kind::kLocked:
      return "locked by " + holder.str();
  }
  return "";
}

ParticipantBase::Refusal ParticipantBase::refuse_reason(Context& ctx, OpList ops, Tx& tx) {
  if (const Op* foreign = request_locks(ctx, ops)) return Refusal{Refusal::Kind::kNoAccount, {}, foreign->account, {}};
  // The net change per account, checked in account-name order (the first account that
  // would go negative is the one named).
  for (const Change& c : lock_request_.change) {
    if (balances_.at_slot(c.slot) + c.delta < 0) {
      return Refusal{Refusal::Kind::kInsufficientFunds, my_accounts_[c.slot], 0, {}};
    }
  }
  Refusal r;
  tx.locked = locks_.try_lock(tx.id, lock_request_.exclusive, lock_request_.shared, &r.holder);
  if (!tx.locked) r.kind = Refusal::Kind::kLocked;
  return r;
}

namespace {
msg::Executed refusal(msg::TxMessage about, std::string reason) {
  msg::Executed e;
  static_cast<msg::TxMessage&>(e) = std::move(about);
  e.ok = false;
  e.rare.make().reason = std::move(reason);
  return e;
}
}  // namespace

void ParticipantBase::on_execute(Context& ctx, NodeId from, const msg::Execute& m) {
  const TxId& id = m.tx;
  if (Tx* known = find(id)) {
    // A duplicate or late request: answer again with what it already knows.
    if (known->state == State::kExecuted) {
      on_work_done(ctx, *known);
    } else if (known->state == State::kAborted) {
      ctx.send(from, refusal(about(*known), "aborted"));
    }
    return;
  }
  Tx& t = txs_.add(id);
  t.coordinator = from;
  t.plan = m.plan;
  t.branch = m.branch;
  t.hops = m.hops;
  t.forces = m.forces;
  handle_of(t);
  const Refusal refused = refuse_reason(ctx, t.ops(), t);
  // The locks it holds for it: none before (a participant's transactions stay in txs_
  // for its incarnation, and only a new one gets here), so exactly those refuse_reason
  // took, if it took any (all or none), listed in name order (entry order).
  held_scratch_.clear();
  if (refused.kind == Refusal::Kind::kNone) {
    std::vector<uint32_t>& held = held_entries_scratch_;
    held.assign(lock_request_.exclusive.begin(), lock_request_.exclusive.end());
    held.insert(held.end(), lock_request_.shared.begin(), lock_request_.shared.end());
    std::sort(held.begin(), held.end());
    for (uint32_t entry : held) held_scratch_.push_back(locks_.account(entry));
  }
  ctx.trace(ev::Work{id, from, &held_scratch_, &ctx.cluster()});
  if (refused.kind != Refusal::Kind::kNone) {
    std::string reason = refused.text();
    ctx.trace(ev::Executed{id, false, reason});
    ctx.send(from, refusal(about(t), std::move(reason)));  // (traced above: no longer needed)
    finish(ctx, t, Outcome::kAbort, "refused", t.hops, t.forces);
    return;
  }
  wait(ctx, t, s_->timing.work_time, TxTimer::kWorkDone);
}

void ParticipantBase::on_work_done(Context& ctx, Tx& tx) {
  bool first = tx.state == State::kWorking;
  tx.state = State::kExecuted;
  msg::Executed e;
  static_cast<msg::TxMessage&>(e) = msg::TxMessage{tx.id, tx.hops + 1, tx.forces};
  e.ok = true;
  e.epoch = ctx.incarnation();
  bool read_all = false;
  for (const Op& op : tx.ops()) {
    if (op.kind == Op::Kind::kReadAll && !read_all) {
      // Every balance here, in account order, by slot (my_accounts_[k] is slot k). Once:
      // nothing changes a balance between two read_all ops of one list.
      read_all = true;
      msg::Executed::Reads& reads = e.rare.make().reads;
      reads.reserve(my_accounts_.size());
      for (size_t k = 0; k < my_accounts_.size(); ++k) reads.emplace_back(my_accounts_[k], balances_.at_slot(k));
    }
    if (op.kind == Op::Kind::kDouble) e.rare.make().result = op.value * 2;
  }
  ctx.send(tx.coordinator, std::move(e));
  if (!first) return;
  ctx.trace(ev::Executed{tx.id, true, {}});
  on_executed(ctx, tx);
}

void ParticipantBase::on_executed(Context& ctx, Tx& tx) {
  if (s_->mistakes.participant_no_branch_timeout) return;  // the mistake: no bound on the wait
  if (s_->rules.timeouts) wait(ctx, tx, s_->timing.work_timeout, TxTimer::kWorkTimeout);
}

void ParticipantBase::on_timer(Context& ctx, const Timer& t) {
  Tx* tx = txs_.by_handle(t.arg);
  if (tx == nullptr || (t.id != tx->timer && t.id != tx->heuristic_timer)) return;
  if (t.id == tx->timer) tx->timer = 0;
  if (t.is(TxTimer::kWorkDone)) {
    if (tx->state == State::kWorking) on_work_done(ctx, *tx);
  } else if (t.is(TxTimer::kWorkTimeout)) {
    // Executed but never asked to prepare: not yet promised anything, so it may abort.
    if (tx->state == State::kExecuted) finish(ctx, *tx, Outcome::kAbort, "work_timeout", tx->hops, tx->forces);
  } else {
    on_protocol_timer(ctx, t, *tx);
  }
}

// --------------------------------------------------------------------------- helpers

void ParticipantBase::wait(Context& ctx, Tx& tx, Duration after, TxTimer kind) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  tx.timer = ctx.set_timer(after, kind, handle_of(tx));
}

void ParticipantBase::stop_waiting(Context& ctx, Tx& tx) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  if (tx.heuristic_timer != 0) ctx.cancel_timer(tx.heuristic_timer);
  tx.timer = tx.heuristic_timer = 0;
}

void ParticipantBase::trace_log(Context& ctx, const TxId& tx, std::string_view rec, bool force) {
  ctx.trace(ev::Log{tx, rec, force, false});
}

void ParticipantBase::trace_vote(Context& ctx, const Tx& tx, VoteValue vote, bool forced) {
  ctx.trace(ev::VoteCast{tx.id, vote, forced});
}

ParticipantBase::PrepareCheck ParticipantBase::take_prepare(Context& ctx, NodeId from, const msg::Prepare& m) {
  const TxId& id = m.tx;
  PrepareCheck c;
  c.tx = find(id);
  if (c.tx == nullptr) {
    // Its execution was lost (a crash): it cannot promise what it no longer holds.
    c.tx = &remember_abort(ctx, id, s_->branch_fence);
    c.tx->coordinator = from;
    c.tx->plan = m.plan;  // who takes part; its ops were lost with its execution
    c.tx->branch = kNoBranch;
    c.tx->hops = m.hops + 1;
    c.answer = VoteValue::kNo;
    c.fresh = true;
    return c;
  }
  switch (c.tx->state) {
    case State::kPrepared:
    case State::kPreCommitted:
    case State::kCommitted:
      c.answer = VoteValue::kYes;  // a duplicate PREPARE
      return c;
    case State::kReadOnly:
      c.answer = VoteValue::kReadOnly;
      return c;
    case State::kAborted:
      c.answer = VoteValue::kNo;
      return c;
    case State::kWorking:
    case State::kExecuted:
      break;
  }
  c.tx->hops = m.hops + 1;
  c.tx->forces = m.forces;
  if (c.tx->state == State::kWorking || m.epoch != ctx.incarnation()) {
    // Asked to prepare work this incarnation never finished: refuse.
    finish(ctx, *c.tx, Outcome::kAbort, "refused", c.tx->hops, c.tx->forces);
    c.answer = VoteValue::kNo;
    c.fresh = true;
  }
  return c;
}

bool ParticipantBase::log_prepared(Context& ctx, Tx& tx) {
  if (!s_->rules.participant_logs || s_->mistakes.participant_prepare_unlogged) return false;
  log(ctx, tx.id, prepared_record(ctx, tx), true);
  tx.logged_prepared = true;
  return true;
}

rec::Prepared ParticipantBase::prepared_record(Context& ctx, const Tx& tx) {
  rec::Prepared r;
  r.tx = tx.id;
  r.coordinator = tx.coordinator;
  r.plan = tx.plan;
  r.branch = tx.branch == kNoBranch ? rec::Prepared::kNoBranch : tx.branch;
  r.cluster = &ctx.cluster();
  return r;
}

void ParticipantBase::finish(Context& ctx, Tx& tx, Outcome outcome, std::string_view via,
                             int64_t hops, int64_t forces, bool heuristic) {
  stop_waiting(ctx, tx);
  ev::Deltas& deltas = deltas_scratch_;
  deltas.clear();
  if (outcome == Outcome::kCommit) {
    for (const Op& op : tx.ops()) {
      if (op.kind != Op::Kind::kAdd) continue;
      balances_.of_number(op.account) += op.amount;
      char buf[24];
      const std::string_view name = account_name_in(op.account, buf);
      auto it = std::find_if(deltas.begin(), deltas.end(), [&](const auto& d) { return d.first == name; });
      if (it == deltas.end()) {
        deltas.emplace_back(name, op.amount);
      } else {
        it->second += op.amount;
      }
    }
  }
  bool forced = false;
  if (s_->rules.participant_logs) {
    if (outcome == Outcome::kCommit) {
      forced = s_->rules.force_participant_commit;
      note_outcome_write(ctx, tx, log(ctx, tx.id, rec::Commit{tx.id, deltas}, forced), forced);
    } else if (tx.logged_prepared) {
      forced = s_->rules.force_participant_abort;
      note_outcome_write(ctx, tx, log(ctx, tx.id, rec::Abort{tx.id}, forced), forced);
    } else if (s_->branch_fence) {
      // The fence: a branch aborted before it prepared stays aborted across a restart.
      forced = true;
      note_outcome_write(ctx, tx, log(ctx, tx.id, rec::Abort{tx.id}, true), true);
    }
  }
  release_locks(ctx, tx);
  tx.state = outcome == Outcome::kCommit ? State::kCommitted : State::kAborted;
  tx.hops = hops;
  tx.forces = forces + (forced ? 1 : 0);
  ctx.trace(ev::OutcomeApplied{tx.id, outcome, via, &deltas, tx.hops, tx.forces, heuristic});
  // Decided: its plan is needed no more (a late request is answered from the state), unless
  // the refused outcome record must be written again (outcome_durable rebuilds a commit's
  // deltas from the ops) or a late PREPARE is answered to the acceptors (Paxos Commit).
  // Letting it go now, while it is in the cache, costs less than with the table at the end
  // of the run, and the next transaction's plan reuses its memory.
  if (!tx.outcome_unwritten && tx.acceptors().empty()) tx.plan = PlanRef{};
}

void ParticipantBase::finish_read_only(Context& ctx, Tx& tx) {
  stop_waiting(ctx, tx);
  release_locks(ctx, tx);
  tx.state = State::kReadOnly;
}

ParticipantBase::Tx& ParticipantBase::remember_abort(Context& ctx, const TxId& id, bool durable) {
  Tx& tx = txs_.get_or_add(id);
  tx.state = State::kAborted;
  if (durable && s_->rules.participant_logs) log(ctx, id, rec::Abort{id}, true);
  return tx;
}


ParticipantBase::Tx* ParticipantBase::awaiting_decision(Context& ctx, const TxId& id, Outcome outcome) {
  Tx* tx = find(id);
  if (tx == nullptr) {
    ctx.trace(ev::UnknownDecision{id, outcome});
    if (outcome == Outcome::kAbort) remember_empty_rollback(ctx, id);
    return nullptr;
  }
  if (is_final(*tx)) {
    Outcome had = tx->state == State::kCommitted ? Outcome::kCommit : Outcome::kAbort;
    if (had != outcome) {
      ctx.trace(ev::ConflictingDecision{id, had, outcome});
    }
    return nullptr;
  }
  return tx;
}

}  // namespace dsim::twopc
