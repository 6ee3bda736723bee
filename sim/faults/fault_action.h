// A fault as plain data: what happens, when, to whom, and for how long. Scripted
// schedules, the random nemesis and the shrinker all speak this one form, and it turns
// back into scenario JSON exactly (to_json), so a random fault mix can be written out as
// an explicit schedule that replays on its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/time.h"

namespace dsim {

struct FaultAction {
  enum class Kind {
    kCrash,
    kRestart,
    kPause,
    kResume,
    kPartition,        // groups
    kPartitionOneWay,  // from -> to cut
    kIsolate,          // nodes cut off from everyone else, both ways
    kHeal,             // a named cut, or every cut
    kClockJump,
    kClockDrift,
    kLinkSlow,
    kLinkLossy,
  };
  Kind kind = Kind::kCrash;
  Instant at;
  std::optional<Duration> lasts;  // undone after this long (restart, resume, heal, reset)
  std::vector<NodeId> nodes;      // targets of node faults; isolate's island
  std::vector<std::vector<NodeId>> groups;
  std::vector<NodeId> from, to;
  Duration by;                 // clock jump
  int64_t drift_ppm = 0;       // clock drift
  Duration extra_latency;      // link slow
  double loss = 0;             // link lossy
  std::string name;            // label of a cut or window, for a later "heal"

  Json to_json(const Cluster& cluster) const;
};

const char* to_string(FaultAction::Kind k);
const std::vector<std::string>& fault_action_names();

}  // namespace dsim
