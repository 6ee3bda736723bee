// What one run of a family's configuration is expected to hold and send: the family's
// part of the memory estimate made before a run (scenario/memory_estimate.h). Each family
// fills it from its settings with a simple model, calibrated against measured peak memory
// at a few sizes (the table is in README.md, "Memory limits"). Rough by design: the
// estimate only has to be within a factor of about 2, and on the high side for big runs.
#pragma once

#include "core/cluster.h"
#include "core/time.h"

namespace dsim {

struct LoadInputs {
  const Cluster& cluster;
  Duration duration;      // the scenario's simulated duration
  double latency_mean_ns; // a message's mean one-way delay (the slowest link's), ns
};

struct FamilyLoad {
  // The processes' and checkers' own state at its peak, all nodes together, in bytes
  // (what grows with the run's length, such as a checker's history, at the run's end).
  double state_bytes = 0;
  // Messages sent per simulated second, whole cluster, in steady state.
  double messages_per_second = 0;
  // Messages sent in one instant (a round every node starts at the same time), when that
  // is more than the steady rate keeps in flight.
  double burst_messages = 0;
  // Heap bytes of a typical message body; 0 when the family's bodies are null.
  double body_bytes = 0;
  // Timers pending at any one time, whole cluster.
  double timers_pending = 0;
};

}  // namespace dsim
