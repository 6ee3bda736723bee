#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "check/violation.h"
#include "core/json_object.h"
#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"

namespace dsim::ring {
namespace {

struct Write {
  std::string value;
  Instant invoked;
  Instant acked = Instant::max();  // never, unless the client heard "ok"
};

class FreshReadsCheck final : public Checker {
 public:
  std::string_view name() const override { return "fresh_reads"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (const auto* invoke = o.as<OpInvoke>()) {
      set_invoked(o.node, invoke->op, o.at);
      if (invoke->kind == OpKind::kPut) writes_on(invoke->key).push_back(Write{invoke->value, o.at});
    } else if (const auto* done = o.as<OpDone>()) {
      const Instant started = take_invoked(o.node, done->op);
      if (!done->ok()) return;
      if (done->kind == OpKind::kPut) {
        if (Write* w = find(done->key, done->value)) w->acked = o.at;
      } else {
        judge_read(o, *done, started, view);
      }
    }
  }

  void write_metrics(Json& out) const override {
    out["reads_checked"] = reads_checked_;
    out["stale_reads"] = stale_reads_;
  }

 private:
  // A client's operations in progress: (op, invoked at). A client has a few at a time.
  using InProgress = std::vector<std::pair<int64_t, Instant>>;

  InProgress& in_progress(NodeId client) {
    if (client >= invoked_.size()) invoked_.resize(client + 1);
    return invoked_[client];
  }

  void set_invoked(NodeId client, int64_t op, Instant at) {
    InProgress& ops = in_progress(client);
    for (auto& [o, t] : ops) {
      if (o == op) {  // a restarted client counts its operations again
        t = at;
        return;
      }
    }
    ops.emplace_back(op, at);
  }

  Instant take_invoked(NodeId client, int64_t op) {
    InProgress& ops = in_progress(client);
    for (auto it = ops.begin(); it != ops.end(); ++it) {
      if (it->first != op) continue;
      const Instant at = it->second;
      ops.erase(it);
      return at;
    }
    throw std::out_of_range("fresh_reads: op_done without its op_invoke");
  }

  std::vector<Write>& writes_on(uint64_t key) {
    if (key >= writes_.size()) writes_.resize(key + 1);
    return writes_[key];
  }

  // The newest put of `value` on `key` (values name the client and its operation, so one
  // is written once, unless a restarted client counts its operations again).
  Write* find(uint64_t key, const std::string& value) {
    std::vector<Write>& on_key = writes_on(key);
    for (auto it = on_key.rbegin(); it != on_key.rend(); ++it) {
      if (it->value == value) return &*it;
    }
    return nullptr;
  }

  // Stale when some put on the key was acknowledged before the read began and was itself
  // invoked after the returned value's put was acknowledged (or nothing was returned).
  void judge_read(const Observation& o, const OpDone& read, Instant started, CheckerView& view) {
    ++reads_checked_;
    const Write* newer = nullptr;
    for (const Write& w : writes_on(read.key)) {
      if (w.acked < started && (newer == nullptr || w.invoked > newer->invoked)) newer = &w;
    }
    const Write* returned = nullptr;
    if (read.found) {
      returned = find(read.key, read.value);
      if (returned == nullptr) return report(o, read, view, "returned " + read.value + ", which no client wrote");
    }
    if (newer == nullptr) return;
    if (returned != nullptr && !(returned->acked < newer->invoked)) return;
    std::string what = returned != nullptr ? "returned " + returned->value + ", older than " : "found nothing, despite ";
    report(o, read, view,
           what + newer->value + ", acknowledged at " + format_duration(Duration{newer->acked.ns}) +
               " before the get began at " + format_duration(Duration{started.ns}));
  }

  void report(const Observation& o, const OpDone& read, CheckerView& view, const std::string& what) {
    ++stale_reads_;
    const std::string& client = view.cluster().name(o.node);
    view.report(violation(name(), o.at, {client, view.cluster().name(read.coordinator)},
                          "get " + key_name(read.key) + " (op " + std::to_string(read.op) + " of " + client + ") " +
                              what,
                          json_object("read", event_json(read))));
  }

  std::vector<InProgress> invoked_;        // by client
  std::vector<std::vector<Write>> writes_;  // by key, in invocation order
  uint64_t reads_checked_ = 0;
  uint64_t stale_reads_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_fresh_reads_check() { return std::make_unique<FreshReadsCheck>(); }

}  // namespace dsim::ring
