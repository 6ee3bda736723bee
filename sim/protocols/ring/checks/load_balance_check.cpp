#include <algorithm>
#include <cstdio>

#include "check/violation.h"
#include "protocols/ring/checks/ring_checks.h"
#include "protocols/ring/events.h"

namespace dsim::ring {
namespace {

class LoadBalanceCheck final : public Checker {
 public:
  explicit LoadBalanceCheck(double peak_to_mean_max) : peak_to_mean_max_(peak_to_mean_max) {}
  std::string_view name() const override { return "load_balance"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (const auto* init = o.as<MembershipInit>()) {
      judge(o, view, init->members, init->peak_to_mean, [&] { return event_json(*init); });
    } else if (const auto* change = o.as<MembershipChange>()) {
      judge(o, view, change->members, change->peak_to_mean, [&] { return event_json(*change); });
    }
  }

  void write_metrics(Json& out) const override { out["peak_to_mean_worst"] = worst_; }

 private:
  template <typename Details>
  void judge(const Observation& o, CheckerView& view, const std::vector<NodeId>& members, double peak,
             Details details) {
    if (members.size() < 2) return;  // one node holds everything: nothing to balance
    worst_ = std::max(worst_, peak);
    if (peak <= peak_to_mean_max_) return;
    char text[96];
    std::snprintf(text, sizeof text, " puts %.3f times the mean number of keys on one node (max %.3f)", peak,
                  peak_to_mean_max_);
    const std::string& node = view.cluster().name(o.node);
    view.report(violation(name(), o.at, {node},
                          node + "'s view " + node_names(view.cluster(), members).dump() + text, details()));
  }

  double peak_to_mean_max_;
  double worst_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_load_balance_check(double peak_to_mean_max) {
  return std::make_unique<LoadBalanceCheck>(peak_to_mean_max);
}

}  // namespace dsim::ring
