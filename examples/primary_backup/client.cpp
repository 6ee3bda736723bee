// A client: a write through the primary, then a read from the backup, and so on, one
// operation at a time with a random pause between them.
#include "core/process.h"
#include "events.h"
#include "messages.h"
#include "primary_backup.h"

namespace primary_backup {
namespace {

using dsim::Context;
using dsim::Duration;
using dsim::Message;
using dsim::NodeId;

// Timer kinds: the family's own enum; timer_name() gives each its name in the trace.
enum class ClientTimer : uint32_t { kNextOp, kRequestTimeout };
std::string_view timer_name(ClientTimer k) {
  switch (k) {
    case ClientTimer::kNextOp: return "next_op";
    case ClientTimer::kRequestTimeout: return "request_timeout";
  }
  return "?";
}

class Client final : public dsim::Process {
 public:
  Client(const Settings& s, NodeId primary, NodeId backup) : s_(s), primary_(primary), backup_(backup) {}

  void on_start(Context& ctx) override { pause(ctx); }

  void on_message(Context& ctx, NodeId, const Message& m) override {
    if (const auto* ok = m.as<WriteOk>()) {
      if (ok->op != waiting_for_) return;  // a late reply to an operation given up on
      ctx.trace(WriteAcked{ok->op, ok->version, value_of(ctx, ok->op)});
      done(ctx);
    } else if (const auto* r = m.as<ReadOk>()) {
      if (r->op != waiting_for_) return;
      ctx.trace(ReadReturned{r->op, r->version, r->value});
      done(ctx);
    }
  }

  void on_timer(Context& ctx, const dsim::Timer& t) override {
    if (t.is(ClientTimer::kRequestTimeout)) {
      if (t.arg == waiting_for_) done(ctx);  // no reply (a crash, a partition): move on
      return;
    }
    const int64_t op = ++ops_;
    if (op % 2 == 1) {
      ctx.send(primary_, Write{op, value_of(ctx, op)});
    } else {
      ctx.trace(ReadStarted{op});
      ctx.send(backup_, Read{op});
    }
    waiting_for_ = op;
    timeout_ = ctx.set_timer(s_.request_timeout, ClientTimer::kRequestTimeout, op);
  }

 private:
  // Values tell the writers apart: client node n's k-th operation writes n * 10^9 + k.
  static int64_t value_of(Context& ctx, int64_t op) {
    return static_cast<int64_t>(ctx.self()) * 1'000'000'000 + op;
  }
  void done(Context& ctx) {
    waiting_for_ = 0;
    ctx.cancel_timer(timeout_);
    pause(ctx);
  }
  // Uniform in [think_time / 2, 3 * think_time / 2).
  void pause(Context& ctx) {
    const uint64_t mean = static_cast<uint64_t>(s_.think_time.ns);
    ctx.set_timer(Duration::nanos(static_cast<int64_t>(mean / 2 + ctx.rng().uniform(mean))),
                  ClientTimer::kNextOp);
  }

  Settings s_;
  NodeId primary_, backup_;
  int64_t ops_ = 0;
  int64_t waiting_for_ = 0;  // the operation in progress; 0 when none
  dsim::TimerId timeout_{};
};

}  // namespace

std::unique_ptr<dsim::Process> make_client(const Settings& s, NodeId primary, NodeId backup) {
  return std::make_unique<Client>(s, primary, backup);
}

}  // namespace primary_backup
