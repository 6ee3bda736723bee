#include <map>
#include <set>
#include <string>
#include <vector>

#include "check/quiet_period.h"
#include "check/violation.h"
#include "protocols/ring/checks/node_names.h"
#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"

namespace dsim::ring {
namespace {

class SettledMembershipCheck final : public Checker {
 public:
  explicit SettledMembershipCheck(const StoreSettings& s)
      : stores_(s.stores), settle_after_(s.suspect_timeout + s.heartbeat_interval * 3) {}
  std::string_view name() const override { return "settled_membership"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (const auto* init = o.as<MembershipInit>()) {
      views_[o.node] = std::set<NodeId>(init->members.begin(), init->members.end());
    } else if (const auto* change = o.as<MembershipChange>()) {
      ++changes_;
      views_[o.node] = std::set<NodeId>(change->members.begin(), change->members.end());
      auto& removed = removed_by_[o.node];
      if (!change->added) {
        removed.insert(change->node);
        if (view.node_up(change->node)) ++removed_while_up_;
      } else if (removed.count(change->node) != 0) {
        ++re_added_;
      }
    } else if (!o.from_protocol && o.event == "crash") {
      views_.erase(o.node);
    }
  }

  void finish(CheckerView& view) override {
    const std::optional<Duration> quiet_for = settled_for(view, settle_after_);
    if (!quiet_for) return;
    std::set<NodeId> running;
    for (NodeId n : stores_) {
      if (view.node_up(n)) running.insert(n);
    }
    for (NodeId n : stores_) {
      if (!view.node_up(n) || views_[n] == running) continue;
      const Cluster& c = view.cluster();
      view.report(violation(name(), view.now(), {c.name(n)},
                            c.name(n) + "'s view " + sorted_names(c, views_[n]).dump() +
                                " differs from the running stores " + sorted_names(c, running).dump() + ", " +
                                format_duration(*quiet_for) + " after the last fault ended"));
      return;
    }
  }

  void write_metrics(Json& out) const override {
    out["membership_changes"] = changes_;
    out["removed_while_up"] = removed_while_up_;
    out["re_added"] = re_added_;
  }

 private:
  std::vector<NodeId> stores_;
  Duration settle_after_;
  std::map<NodeId, std::set<NodeId>> views_;
  std::map<NodeId, std::set<NodeId>> removed_by_;
  uint64_t changes_ = 0, removed_while_up_ = 0, re_added_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_settled_membership_check(const StoreSettings& settings) {
  return std::make_unique<SettledMembershipCheck>(settings);
}

}  // namespace dsim::ring
