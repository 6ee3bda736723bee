// A fault as plain data: what happens, when, to whom, and for how long. Scripted
// schedules, the random nemesis and the shrinker all speak this one form, and it turns
// back into scenario JSON exactly (to_json), so a random fault mix can be written out as
// an explicit schedule that replays on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/time.h"
#include "net/latency_model.h"

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
    kStall,     // one activity of a node: its timers/messages of the named kinds wait
    kDiskFail,  // the node's disk fails writes/syncs/reads, or hangs syncs
    kDiskSlow,  // each sync of the node's disk takes an extra drawn latency
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
  std::vector<std::string> timer_kinds;    // stall: timer kinds held (trace names)
  std::vector<std::string> message_types;  // stall: message types held (trace names)
  std::vector<std::string> disk_ops;       // disk_fail: of "write", "sync", "read"
  bool disk_hang = false;                  // disk_fail: syncs hang instead of failing
  LatencyModel disk_latency;               // disk_slow: extra latency of each sync

  Json to_json(const Cluster& cluster) const;
  // The same without "at": the keys from "action" on, added to the object `out`.
  void write_description(Json& out, const Cluster& cluster) const;
};

// How the trace describes a fault in the simulator's events (core/fault_events.h): its
// scenario JSON without "at", and "undo": true for the end of a fault with a `for`. A
// payload (core/payload.h) that points at the action, so the JSON is built only when a
// trace or a checker asks for it. `action` and `cluster` must outlive the view.
struct FaultDescription {
  static constexpr std::string_view kName = "fault";
  const FaultAction* action = nullptr;
  const Cluster* cluster = nullptr;
  bool undo = false;
  void write_fields(Json& out) const {
    action->write_description(out, *cluster);
    if (undo) out["undo"] = true;
  }
};

const char* to_string(FaultAction::Kind k);
const std::vector<std::string>& fault_action_names();
const std::vector<std::string>& disk_op_names();  // "write", "sync", "read"
// A latency model as scenario JSON writes it (what read_latency reads back).
Json latency_to_json(const LatencyModel& m);

}  // namespace dsim
