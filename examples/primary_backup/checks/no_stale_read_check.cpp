// no_stale_read: a read that starts after a write was acknowledged (to any client) returns
// that write's version or a later one, and a version's value is the value written as it.
// Part of what linearizability asks of a register; enough to catch early acknowledgement.
#include <algorithm>
#include <map>
#include <utility>

#include "check/checker.h"
#include "events.h"
#include "primary_backup.h"

namespace primary_backup {
namespace {

using dsim::CheckerView;
using dsim::NodeId;
using dsim::Observation;

class NoStaleReadCheck final : public dsim::Checker {
 public:
  std::string_view name() const override { return "no_stale_read"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (const auto* w = o.as<WriteAcked>()) {
      acknowledged_ = std::max(acknowledged_, w->version);
      written_[w->version] = w->value;
      ++writes_;
    } else if (const auto* r = o.as<ReadStarted>()) {
      must_see_[{o.node, r->op}] = acknowledged_;
    } else if (const auto* r = o.as<ReadReturned>()) {
      ++reads_;
      auto started = must_see_.find({o.node, r->op});
      if (started == must_see_.end()) return;
      const int64_t floor = started->second;
      must_see_.erase(started);
      if (r->version < floor) {
        report(view, o, "read " + std::to_string(r->op) + " returned version " +
                            std::to_string(r->version) + ", but version " + std::to_string(floor) +
                            " had been acknowledged before the read started",
               r->version, r->value, floor);
        return;
      }
      auto w = written_.find(r->version);
      if (w != written_.end() && w->second != r->value) {
        report(view, o, "read " + std::to_string(r->op) + " returned value " + std::to_string(r->value) +
                            " as version " + std::to_string(r->version) + ", which was written as " +
                            std::to_string(w->second),
               r->version, r->value, floor);
      }
    }
  }

  void write_metrics(dsim::Json& out) const override {
    out["writes_acknowledged"] = writes_;
    out["reads_checked"] = reads_;
  }

 private:
  void report(CheckerView& view, const Observation& o, std::string message, int64_t version,
              int64_t value, int64_t floor) {
    dsim::Violation v;
    v.check = "no_stale_read";
    v.at = view.now();
    v.nodes = {view.cluster().name(o.node)};
    v.message = view.cluster().name(o.node) + "'s " + std::move(message);
    v.details["returned_version"] = version;
    v.details["returned_value"] = value;
    v.details["acknowledged_version"] = floor;
    view.report(std::move(v));
  }

  int64_t acknowledged_ = 0;                           // the highest acknowledged version
  std::map<int64_t, int64_t> written_;                 // acknowledged version -> its value
  std::map<std::pair<NodeId, int64_t>, int64_t> must_see_;  // (client, op) -> floor
  uint64_t writes_ = 0, reads_ = 0;
};

}  // namespace

std::unique_ptr<dsim::Checker> make_no_stale_read_check() {
  return std::make_unique<NoStaleReadCheck>();
}

}  // namespace primary_backup
