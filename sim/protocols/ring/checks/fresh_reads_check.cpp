#include <map>
#include <string>
#include <vector>

#include "core/json_object.h"
#include "protocols/ring/checks/ring_checks.h"

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
    if (!o.from_protocol) return;
    if (o.event == "op_invoke") {
      const int64_t op = o.fields().at("op").get<int64_t>();
      invoked_[{o.node, op}] = o.at;
      if (o.fields().at("kind") == "put") {
        const std::string value = o.fields().at("value").get<std::string>();
        std::vector<Write>& on_key = writes_[o.fields().at("key").get<std::string>()];
        write_index_[value] = {o.fields().at("key").get<std::string>(), on_key.size()};
        on_key.push_back(Write{value, o.at});
      }
    } else if (o.event == "op_done") {
      const int64_t op = o.fields().at("op").get<int64_t>();
      Instant started = invoked_.at({o.node, op});
      invoked_.erase({o.node, op});
      if (!o.fields().at("ok").get<bool>()) return;
      if (o.fields().at("kind") == "put") {
        find(o.fields().at("value").get<std::string>())->acked = o.at;
      } else {
        judge_read(o, started, view);
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
  void judge_read(const Observation& o, Instant started, CheckerView& view) {
    ++reads_checked_;
    const std::string key = o.fields().at("key").get<std::string>();
    const Write* newer = nullptr;
    for (const Write& w : writes_[key]) {
      if (w.acked < started && (newer == nullptr || w.invoked > newer->invoked)) newer = &w;
    }
    const bool found = o.fields().at("found").get<bool>();
    const Write* returned = nullptr;
    if (found) {
      returned = find(o.fields().at("value").get<std::string>());
      if (returned == nullptr) {
        return report(o, view, "returned " + o.fields().at("value").get<std::string>() + ", which no client wrote");
      }
    }
    if (newer == nullptr) return;
    if (returned != nullptr && !(returned->acked < newer->invoked)) return;
    std::string what = returned != nullptr ? "returned " + returned->value + ", older than " : "found nothing, despite ";
    report(o, view, what + newer->value + ", acknowledged at " + format_duration(Duration{newer->acked.ns}) +
                        " before the get began at " + format_duration(Duration{started.ns}));
  }

  void report(const Observation& o, CheckerView& view, const std::string& what) {
    ++stale_reads_;
    Violation v;
    v.check = "fresh_reads";
    v.at = o.at;
    v.nodes = {view.cluster().name(o.node), o.fields().at("coordinator").get<std::string>()};
    v.message = "get " + o.fields().at("key").get<std::string>() + " (op " +
                std::to_string(o.fields().at("op").get<int64_t>()) + " of " + view.cluster().name(o.node) + ") " + what;
    v.details = json_object("read", o.fields());
    view.report(std::move(v));
  }

  std::map<std::pair<NodeId, int64_t>, Instant> invoked_;
  std::map<std::string, std::vector<Write>> writes_;                   // by key
  std::map<std::string, std::pair<std::string, size_t>> write_index_;  // value -> (key, index)
  uint64_t reads_checked_ = 0;
  uint64_t stale_reads_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_fresh_reads_check() { return std::make_unique<FreshReadsCheck>(); }

}  // namespace dsim::ring
