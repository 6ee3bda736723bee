// Load-time check of a scripted fault schedule: it replays the schedule's effect on node
// states and named cuts in the order the run will apply it, and refuses a fault that would
// change nothing (a crash of a down node, a restart of a running one, a pause of a paused
// or down node, a resume of a node that is not paused, a heal of a name with nothing
// open), naming its JSON path. Such faults from random timing are not errors; the fault
// runner skips them at run time and traces `fault_skipped`.
#pragma once

#include <string>
#include <vector>

#include "core/cluster.h"
#include "faults/fault_action.h"

namespace dsim {

// `faults[i]` came from `$.faults.schedule[i]` of `file`; `down_at_start` are the nodes
// that boot only when restarted. Throws ScenarioError.
void check_scripted_schedule(const std::vector<FaultAction>& faults, const Cluster& cluster,
                             const std::vector<NodeId>& down_at_start, const std::string& file);

}  // namespace dsim
