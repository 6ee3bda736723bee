// Liveness: once the faults are over (no crash, pause, partition or link fault in
// effect: CheckerView::faults_quiet_since), the lock must not stay stuck. Stuck means a
// client is waiting for it while no live, running client believes it holds it — a dead
// holder's lock, an orphan, a lock-delay, a lost wake-up. Every such stall must end
// (someone acquires) within
//     allowance = recovery (the lease or session timeout; 0 for the naive lock, which
//                 never lets go) + lock-delay (consul) + a stated bound (retries, RTTs),
// counted from when it began or when the faults ended, whichever is later. Judged at the
// end of a run that ran to its end. A live holder busy in its critical section is not a
// stall: its writes are bounded by the workload, not by the lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocols/locks/checks/belief_tracker.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class LivenessCheck final : public Checker {
 public:
  // `beliefs`: the run's, shared with its other checks; with none it keeps its own.
  explicit LivenessCheck(const LockSettings& settings, std::shared_ptr<SharedBeliefs> beliefs = nullptr);
  std::string_view name() const override { return "liveness"; }
  void observe(const Observation& o, CheckerView& view) override;
  void finish(CheckerView& view) override;
  void write_metrics(Json& out) const override;

  Duration allowance() const { return allowance_; }

 private:
  struct Stall {
    Instant from, until;
    // Who was waiting at its start, in node order: waiting_pool_[first, first + count).
    // (One pool for every stall: a stall starts at most handoffs, dozens of times a run.)
    uint32_t first = 0, count = 0;
    NodeId last_holder = kNoNode;    // who acquired last before it
    bool open = false;               // still going at the end of the run
  };
  bool stalled(const BeliefTracker& beliefs) const;
  void end_stall(Instant at, bool open);

  Duration allowance_;
  Json allowance_parts_;
  std::shared_ptr<SharedBeliefs> beliefs_;
  std::vector<char> down_;     // by node (sized at the first observation)
  std::vector<char> waiting_;  // by node
  size_t waiting_count_ = 0;
  NodeId last_holder_ = kNoNode;
  std::optional<Stall> current_;
  std::vector<Stall> stalls_;
  std::vector<NodeId> waiting_pool_;
  bool judged_ = false;
  int64_t longest_after_quiet_ns_ = 0;
};

}  // namespace dsim::locks
