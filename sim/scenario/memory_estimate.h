// The memory a run will need, estimated before it starts from the scenario's settings:
// the family's own state and message rate (ProtocolRun::estimate_load), plus what the
// simulator core holds for the nodes, the messages in flight (rate x mean latency, or a
// synchronized burst) and the timers. A scenario whose estimate is above
// `limits.max_memory` is refused at load (exit 2), so a run that cannot fit never starts.
//
// Figures are bytes and are rough by design (a factor of about 2; README.md, "Memory
// limits", has the calibration against measured peak RSS). During the run the growth check
// (SimulationLimits::max_memory) counts what the core really holds.
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "scenario/family_load.h"

namespace dsim {

struct Scenario;

struct MemoryEstimate {
  double fixed_bytes = 0;          // the process itself, the nodes, the network, faults
  double family_bytes = 0;         // FamilyLoad::state_bytes
  double in_flight_messages = 0;   // at the peak
  double in_flight_bytes = 0;      // their table slots, queue entries and bodies
  double timer_bytes = 0;
  double messages_per_second = 0;  // whole cluster, simulated time
  double total_bytes() const { return fixed_bytes + family_bytes + in_flight_bytes + timer_bytes; }
  // What the growth check cannot count itself: the fixed costs and the family's state.
  double baseline_bytes() const { return fixed_bytes + family_bytes; }
  Json to_json() const;
  std::string describe() const;  // "5.8 GiB (nodes 1.2 MiB, heartbeat state ...)"
};

// The fixed default of limits.max_memory: the same on every machine, so a scenario is
// accepted or refused alike on a laptop and a sweep cluster.
constexpr uint64_t kDefaultMaxMemory = uint64_t{4} << 30;

// REQUIRES: `s` is loaded except for its limit check (family, protocol, cluster, network
// and faults read).
MemoryEstimate estimate_memory(const Scenario& s);

}  // namespace dsim
