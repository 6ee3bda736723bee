// The random nemesis: draws a whole fault schedule from the seed before the run starts.
// Because its output is ordinary FaultActions, a random run can be written out as an
// explicit schedule (for shrinking, or to read what happened).
//
// Swarm testing (Groce et al., 2012): with `swarm` on, each seed also enables only a
// random non-empty subset of the fault kinds, so a sweep over many seeds covers many
// different fault mixes instead of the same blend every time.
#pragma once

#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/rng.h"
#include "faults/fault_action.h"

namespace dsim {

struct NemesisConfig {
  std::vector<std::string> kinds;  // of random_fault_kinds()
  // stall: what a stall may hold, by trace names (each stall holds a random non-empty
  // subset of these timer kinds and message types together). Required with "stall".
  std::vector<std::string> stall_timers;
  std::vector<std::string> stall_messages;
  // disk_slow: each window draws an exponential extra sync latency whose mean is uniform
  // in [0, disk_latency_max].
  Duration disk_latency_max = Duration::millis(50);
  bool swarm = false;
  std::vector<NodeId> targets;     // nodes faults may hit (node faults; partition sides)
  Instant start{Duration::seconds(1).ns};
  Instant stop{Duration::seconds(8).ns};  // every fault ends by then: the network heals,
                                          // crashed nodes restart, paused ones resume
  Duration mean_interval = Duration::seconds(1);
  Duration duration_min = Duration::millis(100);
  Duration duration_max = Duration::seconds(2);
  size_t max_down = 1;  // at most this many targets crashed or paused at once
  Duration clock_jump_max = Duration::seconds(1);
  int64_t drift_ppm_max = 500;
  Duration extra_latency_max = Duration::millis(200);
  double loss_max = 0.5;
  // The planner stops for good after this many draws, whatever the settings: a hard bound
  // on the memory and time of planning (scenario loading refuses settings that expect more
  // than half of it).
  size_t draws_max = 200'000;
};

// Every kind the nemesis can draw.
const std::vector<std::string>& random_fault_kinds();
// The kinds it draws when a scenario names none: the whole-node and network kinds. The
// kinds that act inside a node (stall, disk_fail, disk_slow) are drawn only when a
// scenario names them, so older scenarios draw exactly what they drew before.
const std::vector<std::string>& default_random_fault_kinds();

struct NemesisPlan {
  std::vector<std::string> enabled_kinds;  // after swarm selection
  std::vector<FaultAction> actions;        // in time order
};

NemesisPlan plan_nemesis(const NemesisConfig& config, size_t cluster_size, uint64_t seed);

}  // namespace dsim
