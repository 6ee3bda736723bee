#include "protocols/2pc/coordinator_base.h"

#include <algorithm>

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc {

CoordinatorBase::CoordinatorBase(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

std::optional<CoordinatorBase::Phase> CoordinatorBase::phase_of(std::string_view tx) const {
  std::optional<Phase> out;
  txs_.for_each([&](const Tx& t) {
    if (t.id.str() == tx) out = t.phase;
  });
  return out;
}

std::vector<std::string> CoordinatorBase::open_transactions() const {
  std::vector<std::string> out;
  txs_.for_each([&](const Tx& tx) { out.push_back(tx.id.str()); });
  std::sort(out.begin(), out.end());
  return out;
}

CoordinatorBase::Tx* CoordinatorBase::find(const TxId& id) {
  return txs_.find(id);
}

CoordinatorBase::Tx& CoordinatorBase::adopt(const TxId& id, std::vector<NodeId> participants) {
  Tx& tx = txs_.get_or_add(id);
  // Its ops are not known after a restart: only Execute reads them, and it has executed.
  tx.plan = PlanRef::make(TxPlan{std::move(participants), s_->acceptors, {}, {}, {}});
  txs_.handle_of(tx);
  return tx;
}

void CoordinatorBase::on_start(Context& ctx) {
  // Room for the run's expected requests up front: growing the set rehashes every request
  // taken so far (a run of the random workloads takes a few hundred per coordinator).
  const size_t expected = s_->expected_transactions() / std::max<size_t>(1, s_->coordinators.size());
  requests_.reserve(std::max(expected, kRequestsReserved));
  txs_.reserve(expected);
  if (ctx.incarnation() > 0) on_recover(ctx);
}

void CoordinatorBase::on_recover(Context& ctx) {
  const std::vector<std::pair<TxId, Outcome>> decisions;
  const std::vector<TxId> collecting;
  ctx.trace(ev::CoordinatorRecovered{&decisions, &collecting, to_string(s_->rules.presumption)});
}

void CoordinatorBase::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* begin = m.as<msg::Begin>()) {
    on_begin(ctx, from, *begin);
  } else if (const auto* executed = m.as<msg::Executed>()) {
    on_executed(ctx, from, *executed);
  } else {
    on_protocol_message(ctx, from, m);
  }
}

void CoordinatorBase::on_timer(Context& ctx, const Timer& t) {
  Tx* tx = txs_.by_handle(t.arg);
  if (tx != nullptr && t.id != tx->timer) return;  // superseded
  if (tx != nullptr) tx->timer = 0;
  if (t.is(TxTimer::kVoteTimeout) && tx != nullptr) {
    if (tx->phase == Phase::kExecuting) abort_execution(ctx, *tx, kNoNode, "timeout");
    else if (tx->phase == Phase::kVoting) on_vote_timeout(ctx, *tx);
    return;
  }
  on_protocol_timer(ctx, t, tx);
}

// ------------------------------------------------------------------- execution phase

void CoordinatorBase::on_begin(Context& ctx, NodeId from, const msg::Begin& m) {
  if (!m.plan) return;  // a request without ops asks nothing
  const RequestId request = m.request;
  if (!requests_.insert(request).second) return;  // a duplicate of a request it already took
  TxId id{&ctx.cluster(), ctx.self(), static_cast<uint32_t>(ctx.incarnation()), static_cast<uint64_t>(next_seq_++)};
  Tx& tx = txs_.get_or_add(id);
  tx.request = request;
  tx.client = from;
  // The request's plan is the transaction's when it names the acceptors this coordinator
  // would (none, in every variant but Paxos Commit); otherwise a copy names them.
  const TxPlan& asked = *m.plan;
  if (asked.acceptors == s_->acceptors) {
    tx.plan = m.plan;
  } else {
    tx.plan = PlanRef::make(TxPlan{asked.participants, s_->acceptors, asked.ops, asked.op_start, asked.request_order});
  }
  std::vector<NodeId>& writers = writers_scratch_;
  writers.clear();
  for (uint32_t k : asked.request_order) {
    if (ops_write(asked.ops_of(k))) writers.push_back(asked.participants[k]);
  }
  txs_.handle_of(tx);
  ctx.trace(ev::TxBegin{id, request, from, to_string(m.kind), tx.participants(), writers, &ctx.cluster()});
  // In the seed design the request is already the first round of the commit protocol.
  int64_t hops = s_->variant == Variant::kSeed ? 1 : 0;
  for (uint32_t k = 0; k < tx.participants().size(); ++k) {
    msg::Execute e;
    static_cast<msg::TxMessage&>(e) = msg::TxMessage{id, hops, 0};
    e.plan = tx.plan;
    e.branch = k;
    ctx.send(tx.participants()[k], std::move(e));
  }
  if (s_->rules.timeouts) wait(ctx, tx, s_->timing.vote_timeout, TxTimer::kVoteTimeout);
}

void CoordinatorBase::on_executed(Context& ctx, NodeId from, const msg::Executed& m) {
  Tx* tx = find(m.tx);
  if (tx == nullptr || tx->phase != Phase::kExecuting || tx->epochs.count(from) != 0) return;
  if (std::find(tx->participants().begin(), tx->participants().end(), from) == tx->participants().end()) return;
  if (!m.ok) {
    abort_execution(ctx, *tx, from, "refused");
    return;
  }
  tx->epochs[from] = m.epoch;
  for (const auto& [account, balance] : m.reads()) {
    // (clang 14 cannot capture a structured binding implicitly: name it in the capture.)
    auto it = std::find_if(tx->reads.begin(), tx->reads.end(),
                           [&, &account = account](const auto& r) { return r.first == account; });
    if (it == tx->reads.end()) {
      tx->reads.emplace_back(account, balance);
    } else {
      it->second = balance;
    }
  }
  if (std::optional<int64_t> result = m.result()) {
    auto it = std::find_if(tx->results.begin(), tx->results.end(), [&](const auto& r) { return r.first == from; });
    if (it == tx->results.end()) {
      tx->results.emplace_back(from, *result);
    } else {
      it->second = *result;
    }
  }
  tx->hops = std::max(tx->hops, m.hops);
  tx->forces = std::max(tx->forces, m.forces);
  if (tx->epochs.size() == tx->participants().size()) start_commit(ctx, *tx);
}

// Before the commit protocol nobody has promised anything: tell those still holding
// locks, the client, and forget. Nothing to log.
void CoordinatorBase::abort_execution(Context& ctx, Tx& tx, NodeId refused_by, std::string_view via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = Outcome::kAbort;
  std::vector<NodeId> to;
  for (NodeId p : tx.participants()) {
    if (p != refused_by) to.push_back(p);
  }
  announce(ctx, tx, to, via);
  tell_client(ctx, tx);
  forget(ctx, tx);
}

// --------------------------------------------------------------------------- helpers

void CoordinatorBase::wait(Context& ctx, Tx& tx, Duration after, TxTimer kind) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  tx.timer = ctx.set_timer(after, kind, txs_.handle_of(tx));
}

void CoordinatorBase::stop_waiting(Context& ctx, Tx& tx) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  tx.timer = 0;
}

void CoordinatorBase::announce(Context& ctx, Tx& tx, const std::vector<NodeId>& to, std::string_view via) {
  Outcome outcome = *tx.decision;
  ++tx.hops;
  for (NodeId p : to) ctx.send(p, msg::Decision{about(tx), outcome});
  ctx.trace(ev::Decision{tx.id, outcome, via, to, true, tx.hops, tx.forces, &ctx.cluster()});
}

void CoordinatorBase::tell_client(Context& ctx, Tx& tx) {
  if (tx.client_told || tx.client == kNoNode || !tx.decision) return;
  tx.client_told = true;
  bool commit = *tx.decision == Outcome::kCommit;
  msg::Result r;
  r.request = tx.request;
  r.tx = tx.id;
  r.outcome = *tx.decision;
  if (commit && (!tx.reads.empty() || !tx.results.empty())) {
    // Told once (client_told): nothing reads them after this.
    msg::Result::Answers& a = r.answers.make();
    a.reads = std::move(tx.reads);
    a.results = std::move(tx.results);
  }
  ctx.send(tx.client, std::move(r));
}

void CoordinatorBase::forget(Context& ctx, Tx& tx) {
  TxId id = tx.id;
  stop_waiting(ctx, tx);
  ctx.trace(ev::End{id});
  txs_.erase(tx);
}

}  // namespace dsim::twopc
