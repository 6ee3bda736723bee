#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocols/ring/checks/ring_checks.h"

namespace dsim::ring {
namespace {

class SettledMembershipCheck final : public Checker {
 public:
  explicit SettledMembershipCheck(const StoreSettings& s)
      : stores_(s.stores), settle_after_(s.suspect_timeout + s.heartbeat_interval * 3) {}
  std::string_view name() const override { return "settled_membership"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (o.event == "crash") views_.erase(o.node);
    if (!o.from_protocol) return;
    if (o.event == "membership_init") {
      views_[o.node] = names(o.fields().at("members"));
    } else if (o.event == "membership_change") {
      ++changes_;
      views_[o.node] = names(o.fields().at("members"));
      const std::string peer = o.fields().at("node").get<std::string>();
      auto& removed = removed_by_[o.node];
      if (o.fields().at("kind") == "remove") {
        removed.insert(peer);
        if (view.node_up(*view.cluster().find(peer))) ++removed_while_up_;
      } else if (removed.count(peer) != 0) {
        ++re_added_;
      }
    }
  }

  void finish(CheckerView& view) override {
    if (!view.ran_to_end()) return;
    Instant quiet = view.faults_quiet_since();
    if (quiet == Instant::max() || view.now() - quiet < settle_after_) return;
    std::set<std::string> running;
    for (NodeId n : stores_) {
      if (view.node_up(n)) running.insert(view.cluster().name(n));
    }
    for (NodeId n : stores_) {
      if (!view.node_up(n) || views_[n] == running) continue;
      Violation v;
      v.check = "settled_membership";
      v.at = view.now();
      v.nodes = {view.cluster().name(n)};
      v.message = view.cluster().name(n) + "'s view " + Json(views_[n]).dump() + " differs from the running stores " +
                  Json(running).dump() + ", " + format_duration(view.now() - quiet) + " after the last fault ended";
      view.report(std::move(v));
      return;
    }
  }

  void write_metrics(Json& out) const override {
    out["membership_changes"] = changes_;
    out["removed_while_up"] = removed_while_up_;
    out["re_added"] = re_added_;
  }

 private:
  static std::set<std::string> names(const Json& list) {
    std::set<std::string> out;
    for (const Json& n : list) out.insert(n.get<std::string>());
    return out;
  }

  std::vector<NodeId> stores_;
  Duration settle_after_;
  std::map<NodeId, std::set<std::string>> views_;
  std::map<NodeId, std::set<std::string>> removed_by_;
  uint64_t changes_ = 0, removed_while_up_ = 0, re_added_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_settled_membership_check(const StoreSettings& settings) {
  return std::make_unique<SettledMembershipCheck>(settings);
}

}  // namespace dsim::ring
