#include <algorithm>
#include <cstdio>

#include "protocols/ring/checks/ring_checks.h"

namespace dsim::ring {
namespace {

class LoadBalanceCheck final : public Checker {
 public:
  explicit LoadBalanceCheck(double peak_to_mean_max) : peak_to_mean_max_(peak_to_mean_max) {}
  std::string_view name() const override { return "load_balance"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (!o.from_protocol || (o.event != "membership_init" && o.event != "membership_change")) return;
    const Json& members = o.fields().at("members");
    if (members.size() < 2) return;  // one node holds everything: nothing to balance
    const double peak = o.fields().at("peak_to_mean").get<double>();
    worst_ = std::max(worst_, peak);
    if (peak <= peak_to_mean_max_) return;
    char text[96];
    std::snprintf(text, sizeof text, " puts %.3f times the mean number of keys on one node (max %.3f)", peak,
                  peak_to_mean_max_);
    Violation v;
    v.check = "load_balance";
    v.at = o.at;
    v.nodes = {view.cluster().name(o.node)};
    v.message = view.cluster().name(o.node) + "'s view " + members.dump() + text;
    v.details = o.fields();
    view.report(std::move(v));
  }

  void write_metrics(Json& out) const override { out["peak_to_mean_worst"] = worst_; }

 private:
  double peak_to_mean_max_;
  double worst_ = 0;
};

}  // namespace

std::unique_ptr<Checker> make_load_balance_check(double peak_to_mean_max) {
  return std::make_unique<LoadBalanceCheck>(peak_to_mean_max);
}

}  // namespace dsim::ring
