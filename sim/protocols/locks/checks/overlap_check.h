// Overlap: two clients believing they hold the lock at the same time. Reported the
// moment a client starts believing while another already does (naming both, and how
// long the other had believed). Lease-based locks overlap whenever a holder stalls past
// its lease — that is what fencing is for — so scenarios that demonstrate fencing leave
// this check out and read the overlap figures in lock_metrics instead.
#pragma once

#include "protocols/locks/checks/belief_tracker.h"

namespace dsim::locks {

class OverlapCheck final : public Checker {
 public:
  // `beliefs`: the run's, shared with its other checks; with none it keeps its own.
  explicit OverlapCheck(std::shared_ptr<SharedBeliefs> beliefs = nullptr)
      : beliefs_(beliefs ? std::move(beliefs) : std::make_shared<SharedBeliefs>()) {}
  std::string_view name() const override { return "overlap"; }
  void observe(const Observation& o, CheckerView& view) override;

 private:
  std::shared_ptr<SharedBeliefs> beliefs_;
};

}  // namespace dsim::locks
