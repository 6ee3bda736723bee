#include "protocols/2pc/client.h"

#include <algorithm>

#include "core/client_op.h"
#include "core/json_object.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/timers.h"

namespace dsim::twopc {
namespace {

Op add_op(uint32_t account, int64_t amount) {
  Op op;
  op.kind = Op::Kind::kAdd;
  op.account = account;
  op.amount = amount;
  return op;
}

Op read_all_op() {
  Op op;
  op.kind = Op::Kind::kReadAll;
  return op;
}

}  // namespace

Client::Client(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

std::vector<Op>& Client::list_for(NodeId participant) {
  Ops& ops = ops_scratch_;
  auto it = std::find_if(ops.begin(), ops.end(), [&](const auto& e) { return e.first == participant; });
  if (it != ops.end()) return it->second;
  std::vector<Op> list;
  if (!spare_lists_.empty()) {
    list = std::move(spare_lists_.back());
    spare_lists_.pop_back();
  }
  return ops.emplace_back(participant, std::move(list)).second;
}

void Client::audit_ops() {
  for (NodeId p : s_->participants) list_for(p).push_back(read_all_op());
}

Client::PendingList::iterator Client::find_pending(int64_t handle) {
  auto it = std::lower_bound(pending_.begin(), pending_.end(), handle,
                             [](const auto& p, int64_t h) { return p.first < h; });
  return it != pending_.end() && it->first == handle ? it : pending_.end();
}

NodeId Client::coordinator(Context& ctx) const {
  size_t index = std::find(s_->clients.begin(), s_->clients.end(), ctx.self()) - s_->clients.begin();
  return s_->coordinators[index % s_->coordinators.size()];
}

void Client::on_start(Context& ctx) {
  const std::string& first = ctx.cluster().name(s_->clients.front());
  for (size_t i = 0; i < s_->workload.script.size(); ++i) {
    const ScriptedTx& tx = s_->workload.script[i];
    const std::string& who = tx.client.empty() ? first : tx.client;
    // After a restart, what was due while it was down is not sent late.
    if (who != ctx.name() || (ctx.incarnation() > 0 && Instant{tx.at.ns} <= ctx.now())) continue;
    Duration after = Instant{tx.at.ns} - ctx.now();
    ctx.set_timer(std::max(after, Duration::zero()), TxTimer::kScript, static_cast<int64_t>(i));
  }
  if (s_->workload.random) schedule_next(ctx);
}

void Client::schedule_next(Context& ctx) {
  const RandomWorkload& r = *s_->workload.random;
  Instant from = std::max(ctx.now(), Instant{r.start.ns});
  Duration gap{static_cast<int64_t>(ctx.rng().exponential(static_cast<double>(r.interval.ns)))};
  Instant at = from + gap;
  if (r.stop != Duration::max() && at.ns >= r.stop.ns) return;
  ctx.set_timer(at - ctx.now(), TxTimer::kNext, 0);
}

void Client::on_timer(Context& ctx, const Timer& t) {
  if (t.is(TxTimer::kScript)) {
    submit_scripted(ctx, s_->workload.script[static_cast<size_t>(t.arg)]);
  } else if (t.is(TxTimer::kNext)) {
    submit_random(ctx);
    schedule_next(ctx);
  } else if (t.is(TxTimer::kTimeout)) {
    auto it = find_pending(t.arg);
    if (it == pending_.end()) return;
    const Pending& p = it->second;
    ev::TxResult r;
    r.request = p.request;
    r.kind = to_string(p.kind);
    r.outcome = "unknown";
    r.timed_out = true;
    r.latency_ns = (ctx.now() - p.sent).ns;
    r.cluster = &ctx.cluster();
    ctx.trace(r);
    ev::OpValue value;
    value.request = p.request;
    value.cluster = &ctx.cluster();
    trace_op_complete(ctx, it->first, to_string(p.kind), OpOutcome::kUnknown, value);
    pending_.erase(it);
  }
}

void Client::submit(Context& ctx, RequestKind kind) {
  PlanRef plan = PlanRef::build([this](TxPlan& made) { plan_of_request(ops_scratch_, made); });
  for (auto& [p, list] : ops_scratch_) {  // the plan copied the ops: keep the lists' memory
    list.clear();
    spare_lists_.push_back(std::move(list));
  }
  ops_scratch_.clear();
  submit(ctx, kind, std::move(plan));
}

void Client::submit(Context& ctx, RequestKind kind, PlanRef plan) {
  int64_t handle = next_seq_++;
  const RequestId request{ctx.self(), ctx.incarnation(), static_cast<uint64_t>(handle)};
  NodeId to = coordinator(ctx);
  ev::OpValue value;
  value.request = request;
  value.plan = &plan;
  value.cluster = &ctx.cluster();
  trace_op_invoke(ctx, handle, to_string(kind), value);
  ctx.send(to, msg::Begin{request, std::move(plan), &ctx.cluster(), kind});
  Pending& p = pending_.emplace_back(handle, Pending{}).second;
  p.request = request;
  p.kind = kind;
  p.sent = ctx.now();
  p.timeout = ctx.set_timer(s_->workload.client_timeout, TxTimer::kTimeout, handle);
  ctx.trace(ev::TxSubmit{request, to_string(kind), to, &ctx.cluster()});
}

void Client::submit_scripted(Context& ctx, const ScriptedTx& s) {
  auto add = [&](const std::string& account, int64_t amount) {
    const int64_t number = s_->layout.index_of(account);  // >= 0: settings.cpp checked the names
    list_for(s_->layout.home_of(account)).push_back(add_op(static_cast<uint32_t>(number), amount));
  };
  switch (s.kind) {
    case ScriptedTx::Kind::kTransfer:
      add(s.from, -s.amount * static_cast<int64_t>(s.to.size()));
      for (const std::string& to : s.to) add(to, s.amount);
      submit(ctx, RequestKind::kTransfer);
      return;
    case ScriptedTx::Kind::kAudit:
      audit_ops();
      submit(ctx, RequestKind::kAudit);
      return;
    case ScriptedTx::Kind::kDouble: {
      Op op;
      op.kind = Op::Kind::kDouble;
      op.value = s.value;
      list_for(*ctx.cluster().find(s.participant)).push_back(op);
      submit(ctx, RequestKind::kDouble);
      return;
    }
  }
}

void Client::submit_random(Context& ctx) {
  const RandomWorkload& r = *s_->workload.random;
  if (ctx.rng().bernoulli(r.audit_fraction)) {
    audit_ops();
    submit(ctx, RequestKind::kAudit);
    return;
  }
  std::vector<NodeId>& sites = sites_scratch_;
  sites.assign(s_->participants.begin(), s_->participants.end());
  ctx.rng().shuffle(sites);
  sites.resize(static_cast<size_t>(r.participants_per_transfer));
  int64_t amount = 1 + static_cast<int64_t>(ctx.rng().uniform(static_cast<uint64_t>(r.amount_max)));
  std::vector<Op>& ops = transfer_ops_;  // ops[i] for sites[i]
  ops.clear();
  for (size_t i = 0; i < sites.size(); ++i) {
    const std::vector<uint32_t>& accounts = s_->layout.numbers_of(sites[i]);
    const uint32_t account = accounts[ctx.rng().uniform(accounts.size())];
    int64_t delta = i == 0 ? -amount * static_cast<int64_t>(sites.size() - 1) : amount;
    ops.push_back(add_op(account, delta));
  }
  // The sites are distinct (a shuffle's first few): the plan plan_of_request would make
  // of one op list per site, made without the lists.
  submit(ctx, RequestKind::kTransfer, PlanRef::build([&](TxPlan& p) { plan_of_distinct_sites(sites, ops, p); }));
}

void Client::on_message(Context& ctx, NodeId, const Message& m) {
  const auto* result = m.as<msg::Result>();
  if (result == nullptr) return;
  // Its handle is the id's seq; the whole id must match (an answer to a request of an
  // earlier incarnation has the same handle as a newer one).
  const RequestId& request = result->request;
  if (request.seq > static_cast<uint64_t>(next_seq_)) return;  // no handle of this process
  auto it = find_pending(static_cast<int64_t>(request.seq));
  if (it == pending_.end() || it->second.request != request) return;  // timed out already, or a duplicate
  ctx.cancel_timer(it->second.timeout);
  bool committed = result->outcome == Outcome::kCommit;
  ev::TxResult f;
  f.request = it->second.request;
  f.tx = result->tx;
  f.kind = to_string(it->second.kind);
  f.outcome = to_string(result->outcome);
  f.latency_ns = (ctx.now() - it->second.sent).ns;
  f.cluster = &ctx.cluster();
  if (it->second.kind == RequestKind::kAudit && committed) {
    int64_t total = 0;
    for (const auto& [account, balance] : result->reads()) total += balance;
    f.audit_total = total;
  }
  if (it->second.kind == RequestKind::kDouble && committed) f.results = &result->results();
  // Commit took effect, abort did not.
  OpOutcome outcome = committed ? OpOutcome::kOk : OpOutcome::kFail;
  ev::OpValue value;
  value.request = it->second.request;
  value.tx = result->tx;
  value.audit_total = f.audit_total;
  value.results = f.results;
  value.cluster = &ctx.cluster();
  ctx.trace(f);
  trace_op_complete(ctx, it->first, to_string(it->second.kind), outcome, value);
  pending_.erase(it);
}

}  // namespace dsim::twopc
