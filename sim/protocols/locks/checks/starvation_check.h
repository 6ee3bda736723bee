// Starvation: no client waits longer than `starvation_bound` for one acquisition, whether
// or not it is granted in the end. A wait starts at the client's acquire_start and ends
// when it acquires or crashes (a restarted client starts a new wait). Reported at the
// first event past the bound (or at the end of the run for a wait still open then),
// naming the waiter and, when someone holds it, the lock's last holder. The liveness
// check misses this case: a lock kept alive for a holder that makes no progress (a
// zombie keep-alive) has a holder the whole time, so liveness sees no stall.
#pragma once

#include <map>
#include <string>

#include "check/checker.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class StarvationCheck final : public Checker {
 public:
  explicit StarvationCheck(Duration bound) : bound_(bound) {}
  std::string_view name() const override { return "starvation"; }
  void observe(const Observation& o, CheckerView& view) override;
  void finish(CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  struct Wait {
    Instant since;
    std::string owner;
  };
  void end_wait(NodeId node, Instant at);
  void judge(Instant now, CheckerView& view, bool at_end);

  Duration bound_;
  std::map<NodeId, Wait> waiting_;
  std::string last_holder_;
  int64_t longest_ns_ = 0;  // the longest wait seen (ended, or open at the end)
  uint64_t waits_ = 0;
  bool reported_ = false;
};

}  // namespace dsim::locks
