#include "protocols/twopc/client.h"

#include <algorithm>

#include "core/client_op.h"
#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {
namespace {

// A participant's part of a request: here always a single operation.
Json only_op(Json op) {
  Json ops = Json::array();
  ops.push_back(std::move(op));
  return ops;
}

// An audit reads every account at every participant.
Json audit_ops(Context& ctx, const std::vector<NodeId>& participants) {
  Json ops = Json::object();
  for (NodeId p : participants) ops[ctx.cluster().name(p)] = only_op(json_object("op", "read_all"));
  return ops;
}

}  // namespace

Client::Client(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

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
    ctx.set_timer(std::max(after, Duration::zero()), "script", static_cast<int64_t>(i));
  }
  if (s_->workload.random) schedule_next(ctx);
}

void Client::schedule_next(Context& ctx) {
  const RandomWorkload& r = *s_->workload.random;
  Instant from = std::max(ctx.now(), Instant{r.start.ns});
  Duration gap{static_cast<int64_t>(ctx.rng().exponential(static_cast<double>(r.interval.ns)))};
  Instant at = from + gap;
  if (r.stop != Duration::max() && at.ns >= r.stop.ns) return;
  ctx.set_timer(at - ctx.now(), "next", 0);
}

void Client::on_timer(Context& ctx, const Timer& t) {
  if (t.kind == "script") {
    submit_scripted(ctx, s_->workload.script[static_cast<size_t>(t.arg)]);
  } else if (t.kind == "next") {
    submit_random(ctx);
    schedule_next(ctx);
  } else if (t.kind == "timeout") {
    auto h = by_handle_.find(t.arg);
    if (h == by_handle_.end()) return;
    auto it = pending_.find(h->second);
    if (it != pending_.end()) {
      ctx.trace("tx_result", json_object("request", it->first,
                                         "kind", it->second.kind,
                                         "outcome", "unknown",
                                         "timed_out", true,
                                         "latency_ns", (ctx.now() - it->second.sent).ns));
      trace_op_complete(ctx, it->second.handle, it->second.kind, OpOutcome::kUnknown,
                        json_object("request", it->first));
      pending_.erase(it);
    }
    by_handle_.erase(h);
  }
}

void Client::submit(Context& ctx, const std::string& kind, Json ops) {
  std::string request =
      ctx.name() + "." + std::to_string(ctx.incarnation()) + "." + std::to_string(next_seq_);
  int64_t handle = next_seq_++;
  NodeId to = coordinator(ctx);
  trace_op_invoke(ctx, handle, kind, json_object("request", request, "ops", ops));
  ctx.send(to, Message(msg::kBegin, json_object("request", request,
                                                "kind", kind,
                                                "ops", std::move(ops))));
  Pending& p = pending_[request];
  p.kind = kind;
  p.sent = ctx.now();
  p.timeout = ctx.set_timer(s_->workload.client_timeout, "timeout", handle);
  p.handle = handle;
  by_handle_[handle] = request;
  ctx.trace("tx_submit", json_object("request", request,
                                     "kind", kind,
                                     "coordinator", ctx.cluster().name(to)));
}

void Client::submit_scripted(Context& ctx, const ScriptedTx& s) {
  Json ops = Json::object();
  auto add = [&](const std::string& account, int64_t amount) {
    std::string home = ctx.cluster().name(s_->layout.home_of(account));
    if (!ops.contains(home)) ops[home] = Json::array();
    ops[home].push_back(json_object("op", "add", "account", account, "amount", amount));
  };
  switch (s.kind) {
    case ScriptedTx::Kind::kTransfer:
      add(s.from, -s.amount * static_cast<int64_t>(s.to.size()));
      for (const std::string& to : s.to) add(to, s.amount);
      submit(ctx, "transfer", std::move(ops));
      return;
    case ScriptedTx::Kind::kAudit:
      submit(ctx, "audit", audit_ops(ctx, s_->participants));
      return;
    case ScriptedTx::Kind::kDouble:
      ops[s.participant] = only_op(json_object("op", "double", "value", s.value));
      submit(ctx, "double", std::move(ops));
      return;
  }
}

void Client::submit_random(Context& ctx) {
  const RandomWorkload& r = *s_->workload.random;
  if (ctx.rng().bernoulli(r.audit_fraction)) {
    submit(ctx, "audit", audit_ops(ctx, s_->participants));
    return;
  }
  Json ops = Json::object();
  std::vector<NodeId> sites = s_->participants;
  ctx.rng().shuffle(sites);
  sites.resize(static_cast<size_t>(r.participants_per_transfer));
  int64_t amount = 1 + static_cast<int64_t>(ctx.rng().uniform(static_cast<uint64_t>(r.amount_max)));
  for (size_t i = 0; i < sites.size(); ++i) {
    const std::vector<std::string>& accounts = s_->layout.accounts_of(sites[i]);
    const std::string& account = accounts[ctx.rng().uniform(accounts.size())];
    int64_t delta = i == 0 ? -amount * static_cast<int64_t>(sites.size() - 1) : amount;
    Json add = json_object("op", "add", "account", account, "amount", delta);
    ops[ctx.cluster().name(sites[i])] = only_op(std::move(add));
  }
  submit(ctx, "transfer", std::move(ops));
}

void Client::on_message(Context& ctx, NodeId, const Message& m) {
  if (m.type() != msg::kResult) return;
  auto it = pending_.find(m.body().at("request").get<std::string>());
  if (it == pending_.end()) return;  // timed out already, or a duplicate
  ctx.cancel_timer(it->second.timeout);
  by_handle_.erase(it->second.handle);
  Json f = json_object("request", it->first,
                       "tx", m.body().at("tx"),
                       "kind", it->second.kind,
                       "outcome", m.body().at("outcome"),
                       "latency_ns", (ctx.now() - it->second.sent).ns);
  bool committed = m.body().at("outcome") == msg::kCommit;
  if (it->second.kind == "audit" && committed) {
    int64_t total = 0;
    for (const auto& [account, balance] : m.body().at("reads").items()) total += balance.get<int64_t>();
    f["audit_total"] = total;
  }
  if (it->second.kind == "double" && committed) f["results"] = m.body().at("results");
  // Commit took effect, abort did not; any other answer leaves the client unsure.
  OpOutcome outcome = committed                          ? OpOutcome::kOk
                      : m.body().at("outcome") == msg::kAbort ? OpOutcome::kFail
                                                          : OpOutcome::kUnknown;
  Json value = json_object("request", it->first, "tx", m.body().at("tx"));
  if (f.contains("audit_total")) value["audit_total"] = f["audit_total"];
  if (f.contains("results")) value["results"] = f["results"];
  ctx.trace("tx_result", std::move(f));
  trace_op_complete(ctx, it->second.handle, it->second.kind, outcome, std::move(value));
  pending_.erase(it);
}

}  // namespace dsim::twopc
