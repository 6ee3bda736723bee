#include <array>
#include <cstdio>
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
    ByKind& k = by_kind_[static_cast<size_t>(done->kind)];
    ++k.outcomes[static_cast<size_t>(done->outcome)];
    ++total_;
    if (done->ok()) {
      ++ok_;
      k.latency_ns.push_back(done->latency_ns);
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
    // Kinds and outcomes by name, as a map keyed by name would list them; only those seen.
    for (OpKind kind : {OpKind::kGet, OpKind::kPut}) {
      const ByKind& counts = by_kind_[static_cast<size_t>(kind)];
      Json k = Json::object();
      for (OpResult outcome : {OpResult::kOk, OpResult::kTimeout, OpResult::kUnavailable}) {
        if (uint64_t n = counts.outcomes[static_cast<size_t>(outcome)]; n != 0) k[op_result_name(outcome)] = n;
      }
      if (k.empty()) continue;
      k["latency_ns"] = summarize_samples(counts.latency_ns);
      by_kind[op_kind_name(kind)] = std::move(k);
    }
    out["by_kind"] = std::move(by_kind);
  }

 private:
  double availability() const { return total_ == 0 ? 1.0 : static_cast<double>(ok_) / static_cast<double>(total_); }

  double availability_min_;
  uint64_t total_ = 0, ok_ = 0;
  struct ByKind {
    std::array<uint64_t, 3> outcomes{};  // by OpResult
    std::vector<int64_t> latency_ns;     // of the successful operations
  };
  std::array<ByKind, 2> by_kind_;  // by OpKind
};

}  // namespace

std::unique_ptr<Checker> make_availability_check(double availability_min) {
  return std::make_unique<AvailabilityCheck>(availability_min);
}

}  // namespace dsim::ring
