// "The faults have been quiet long enough": the gate of every settled-state liveness
// check (heartbeat's settled_view, the ring's settled_membership, ...). Such a check may
// judge only a run that reached its end (no bound or interrupt cut it short) and whose
// last crash, pause, partition or link window ended at least `bound` before the end:
// before that, a failure detector is still allowed to be wrong.
#pragma once

#include <optional>

#include "check/checker.h"
#include "core/time.h"

namespace dsim {

// How long the faults have been quiet at the end of the run (view.now() minus
// view.faults_quiet_since()), when that is at least `bound` and the run ran to its end;
// nullopt when the check must not judge (cut short, a fault still in effect, or quiet for
// less than `bound`). Call from Checker::finish.
inline std::optional<Duration> settled_for(const CheckerView& view, Duration bound) {
  if (!view.ran_to_end()) return std::nullopt;
  const Instant quiet = view.faults_quiet_since();
  if (quiet == Instant::max()) return std::nullopt;
  const Duration quiet_for = view.now() - quiet;
  if (quiet_for < bound) return std::nullopt;
  return quiet_for;
}

}  // namespace dsim
