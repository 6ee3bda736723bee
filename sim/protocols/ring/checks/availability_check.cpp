#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "check/sample_stats.h"
#include "check/violation.h"
#include "protocols/ring/events.h"
#include "protocols/ring/checks/ring_checks.h"

namespace dsim::ring {
namespace {

class AvailabilityCheck final : public Checker {
 public:
  explicit AvailabilityCheck(double availability_min) : availability_min_(availability_min) {}
  std::string_view name() const override { return "availability"; }

  void observe(const Observation& o, CheckerView&) override {
    const auto* done = o.as<OpDone>();
    if (done == nullptr) return;
    const char* kind = op_kind_name(done->kind);
    ++outcomes_[kind][op_result_name(done->outcome)];
    ++total_;
    if (done->ok()) {
      ++ok_;
      latency_ns_[kind].push_back(done->latency_ns);
    }
  }

  void finish(CheckerView& view) override {
    if (!view.ran_to_end() || total_ == 0 || availability() >= availability_min_) return;
    char text[160];
    std::snprintf(text, sizeof text, "%llu of %llu operations succeeded (%.4f), below availability_min %.4f",
                  static_cast<unsigned long long>(ok_), static_cast<unsigned long long>(total_), availability(),
                  availability_min_);
    view.report(violation(name(), view.now(), {}, text));
  }

  void write_metrics(Json& out) const override {
    out["operations"] = total_;
    out["succeeded"] = ok_;
    out["availability"] = availability();
    Json by_kind = Json::object();
    for (const auto& [kind, outcomes] : outcomes_) {
      Json k = Json::object();
      for (const auto& [outcome, n] : outcomes) k[outcome] = n;
      auto it = latency_ns_.find(kind);
      k["latency_ns"] = summarize_samples(it == latency_ns_.end() ? std::vector<int64_t>{} : it->second);
      by_kind[kind] = std::move(k);
    }
    out["by_kind"] = std::move(by_kind);
  }

 private:
  double availability() const { return total_ == 0 ? 1.0 : static_cast<double>(ok_) / static_cast<double>(total_); }

  double availability_min_;
  uint64_t total_ = 0, ok_ = 0;
  std::map<std::string, std::map<std::string, uint64_t>> outcomes_;  // kind -> outcome -> count
  std::map<std::string, std::vector<int64_t>> latency_ns_;           // kind -> successful latencies
};

}  // namespace

std::unique_ptr<Checker> make_availability_check(double availability_min) {
  return std::make_unique<AvailabilityCheck>(availability_min);
}

}  // namespace dsim::ring
