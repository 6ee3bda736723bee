#include "protocols/ring/store/client_node.h"

#include "core/client_op.h"
#include "protocols/ring/events.h"
#include "protocols/ring/messages.h"
#include "protocols/ring/store/op_table.h"

namespace dsim::ring {
namespace {

// The value of the common "op" record (core/client_op.h): {"key", "value"?}, where a get
// that found nothing says "value": null and an invoked get says no value at all.
struct OpValue {
  static constexpr std::string_view kName = "ring_op_value";
  enum class Has { kNone, kText, kNull };
  size_t key = 0;
  Has has = Has::kNone;
  std::string_view value;
  void write_fields(Json& out) const {
    out["key"] = key_name(key);
    if (has == Has::kText) out["value"] = std::string(value);
    if (has == Has::kNull) out["value"] = nullptr;
  }
};

// Timer args carry (operation, attempt) so a stale timer or reply is recognised.
constexpr int64_t kAttemptsPerOp = 128;

class ClientNode final : public Process {
 public:
  explicit ClientNode(std::shared_ptr<const StoreSettings> s) : s_(std::move(s)) {}

  void on_start(Context& ctx) override {
    avoid_until_.assign(ctx.cluster().size(), Instant::zero());
    Duration wait = s_->start - Duration{ctx.now().ns};
    schedule_next(ctx, wait.ns > 0 ? wait : Duration::zero());
  }

  void on_message(Context& ctx, NodeId, const Message& m) override {
    const auto* reply = m.as<Reply>();
    if (reply == nullptr) return;
    Pending* found = pending_.find(reply->op);
    if (found == nullptr || found->attempt != reply->attempt) return;
    Pending& p = *found;
    ctx.cancel_timer(p.timer);
    if (!reply->ok() && p.attempt < static_cast<int64_t>(s_->attempts)) {
      attempt(ctx, reply->op, p);
      return;
    }
    finish(ctx, reply->op, reply->ok() ? OpResult::kOk : OpResult::kUnavailable, reply);
  }

  void on_timer(Context& ctx, const Timer& t) override {
    if (t.is(ClientTimer::kNextOp)) {
      if (ctx.now().ns <= s_->stop.ns) issue(ctx);
      return;
    }
    const int64_t op = t.arg / kAttemptsPerOp;
    Pending* found = pending_.find(op);
    if (found == nullptr || found->attempt != t.arg % kAttemptsPerOp) return;
    Pending& p = *found;
    avoid_until_[p.coordinator] = ctx.now() + s_->avoid_after_timeout;
    if (p.attempt < static_cast<int64_t>(s_->attempts)) {
      attempt(ctx, op, p);
    } else {
      finish(ctx, op, OpResult::kTimeout, nullptr);
    }
  }

 private:
  struct Pending {
    bool is_put;
    size_t key;
    std::string value;
    Instant started;  // local clock
    int64_t attempt = 0;
    NodeId coordinator = 0;
    TimerId timer = 0;
  };

  void schedule_next(Context& ctx, Duration extra) {
    if (s_->ops_per_second <= 0) return;
    double mean_ns = 1e9 / s_->ops_per_second;
    ctx.set_timer(extra + Duration{static_cast<int64_t>(ctx.rng().exponential(mean_ns))}, ClientTimer::kNextOp);
  }

  void issue(Context& ctx) {
    const int64_t op = next_op_++;
    Pending& p = pending_.insert(op);
    p.is_put = !ctx.rng().bernoulli(s_->read_fraction);
    p.key = static_cast<size_t>(ctx.rng().uniform(s_->keys));
    p.value.clear();
    if (p.is_put) {
      p.value = ctx.name();
      p.value += '-';
      p.value += std::to_string(op);
    }
    p.started = ctx.now();
    p.attempt = 0;
    p.coordinator = 0;
    p.timer = 0;
    ctx.trace(OpInvoke{op, p.is_put ? OpKind::kPut : OpKind::kGet, p.key, p.value});
    OpValue value{p.key, p.is_put ? OpValue::Has::kText : OpValue::Has::kNone, p.value};
    trace_op_invoke(ctx, op, p.is_put ? "put" : "get", value);
    attempt(ctx, op, p);
    schedule_next(ctx, Duration::zero());
  }

  void attempt(Context& ctx, int64_t op, Pending& p) {
    ++p.attempt;
    std::vector<NodeId>& candidates = candidates_;
    candidates.clear();
    for (NodeId n : s_->stores) {
      if (avoid_until_[n] <= ctx.now()) candidates.push_back(n);
    }
    if (candidates.empty()) candidates = s_->stores;
    p.coordinator = candidates[ctx.rng().uniform(candidates.size())];
    if (p.is_put) {
      ctx.send(p.coordinator, Put{op, p.attempt, p.key, p.value});
    } else {
      ctx.send(p.coordinator, Get{op, p.attempt, p.key});
    }
    p.timer = ctx.set_timer(s_->client_timeout, ClientTimer::kAttemptTimeout, op * kAttemptsPerOp + p.attempt);
  }

  void finish(Context& ctx, int64_t op, OpResult outcome, const Reply* reply) {
    Pending& p = *pending_.find(op);
    OpDone e;
    e.cluster = &ctx.cluster();
    e.op = op;
    e.kind = p.is_put ? OpKind::kPut : OpKind::kGet;
    e.key = p.key;
    e.outcome = outcome;
    e.latency_ns = (ctx.now() - p.started).ns;
    e.attempts = p.attempt;
    e.coordinator = p.coordinator;
    if (p.is_put) e.value = p.value;
    if (reply != nullptr && outcome == OpResult::kOk) {
      if (!p.is_put) {
        e.found = reply->found;
        if (reply->found) e.value = reply->value;
      }
      if (reply->has_version()) e.version.emplace(reply->vc, reply->vn);
    }
    ctx.trace(e);
    trace_common_completion(ctx, op, p, outcome, reply);
    pending_.erase(op);
  }

  // A get that did not succeed read nothing: fail. A put that did not succeed may still
  // have reached some replicas (a coordinator gives up after its write phase has begun,
  // and a timed-out attempt may be half done), so the client cannot tell: unknown.
  static void trace_common_completion(Context& ctx, int64_t op, const Pending& p, OpResult outcome,
                                      const Reply* reply) {
    OpOutcome result = outcome == OpResult::kOk ? OpOutcome::kOk
                       : p.is_put               ? OpOutcome::kUnknown
                                                : OpOutcome::kFail;
    OpValue value{p.key, OpValue::Has::kNone, {}};
    if (p.is_put) {
      value.has = OpValue::Has::kText;
      value.value = p.value;
    } else if (result == OpOutcome::kOk && reply != nullptr) {
      value.has = reply->found ? OpValue::Has::kText : OpValue::Has::kNull;
      if (reply->found) value.value = reply->value;
    }
    trace_op_complete(ctx, op, p.is_put ? "put" : "get", result, value);
  }

  std::shared_ptr<const StoreSettings> s_;
  OpTable<Pending> pending_;
  std::vector<Instant> avoid_until_;
  std::vector<NodeId> candidates_;  // attempt()'s scratch list
  int64_t next_op_ = 1;
};

}  // namespace

std::unique_ptr<Process> make_client_node(std::shared_ptr<const StoreSettings> settings) {
  return std::make_unique<ClientNode>(std::move(settings));
}

}  // namespace dsim::ring
