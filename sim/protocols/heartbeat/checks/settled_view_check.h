// settled_view (liveness): once the faults have been quiet for `bound` (a full timeout
// plus two rounds, see heartbeat_family.cpp), every running node trusts every other
// running node. Reads suspect/trust events and the simulator's crash/restart events; a
// crash forgets the node's suspicions (its restart begins with a fresh view). Reports the
// first pair (a, b) where a still suspects b. Metrics: false_suspicions (suspecting a node
// that was up), detections and detection_ns_max (time from a crash to a suspicion of the
// crashed node).
#pragma once

#include <cstdint>
#include <vector>

#include "check/checker.h"
#include "core/time.h"

namespace dsim::heartbeat {

class SettledViewCheck final : public Checker {
 public:
  SettledViewCheck(size_t nodes, Duration bound)
      : bound_(bound), suspects_(nodes, std::vector<bool>(nodes, false)), down_since_(nodes, Instant::max()) {}
  std::string_view name() const override { return "settled_view"; }
  void observe(const Observation& o, CheckerView& view) override;
  void finish(CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  void suspicion(const Observation& o, CheckerView& view, NodeId peer, bool suspect);

  Duration bound_;
  std::vector<std::vector<bool>> suspects_;  // [a][b]: a suspects b
  std::vector<Instant> down_since_;          // global time of the crash; max while up
  uint64_t false_suspicions_ = 0;
  std::vector<int64_t> detection_ns_;
};

}  // namespace dsim::heartbeat
