// Turns fault data into simulator verbs at the right instants.
#pragma once

#include <vector>

#include "core/simulation.h"
#include "faults/fault_action.h"

namespace dsim {

// Schedules every action (and the undo of those with a duration) on `sim`. Named cuts
// and windows can be healed by name later in the same schedule.
void schedule_faults(Simulation& sim, const std::vector<FaultAction>& actions);

}  // namespace dsim
