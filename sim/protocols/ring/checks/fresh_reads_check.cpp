#include <map>
#include <string>
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
      invoked_[{o.node, invoke->op}] = o.at;
      if (invoke->kind == OpKind::kPut) {
        std::vector<Write>& on_key = writes_[invoke->key];
        write_index_[invoke->value] = {invoke->key, on_key.size()};
        on_key.push_back(Write{invoke->value, o.at});
      }
    } else if (const auto* done = o.as<OpDone>()) {
      Instant started = invoked_.at({o.node, done->op});
      invoked_.erase({o.node, done->op});
      if (!done->ok()) return;
      if (done->kind == OpKind::kPut) {
        find(done->value)->acked = o.at;
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
  Write* find(const std::string& value) {
    auto it = write_index_.find(value);
    if (it == write_index_.end()) return nullptr;
    return &writes_[it->second.first][it->second.second];
  }

  // Stale when some put on the key was acknowledged before the read began and was itself
  // invoked after the returned value's put was acknowledged (or nothing was returned).
  void judge_read(const Observation& o, const OpDone& read, Instant started, CheckerView& view) {
    ++reads_checked_;
    const Write* newer = nullptr;
    for (const Write& w : writes_[read.key]) {
      if (w.acked < started && (newer == nullptr || w.invoked > newer->invoked)) newer = &w;
    }
    const Write* returned = nullptr;
    if (read.found) {
      returned = find(read.value);
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

  std::map<std::pair<NodeId, int64_t>, Instant> invoked_;
  std::map<uint64_t, std::vector<Write>> writes_;                   // by key
  std::map<std::string, std::pair<uint64_t, size_t>> write_index_;  // value -> (key, index)
  uint64_t reads_checked_ = 0;
  uint64_t stale_reads_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_fresh_reads_check() { return std::make_unique<FreshReadsCheck>(); }

}  // namespace dsim::ring
