// The simulator's own events (crash, partition, heal, ...), one struct each, recorded like
// the protocols' events (core/payload.h): kName is the trace's "ev", write_fields writes its
// "data" keys in the trace's order. Checkers read them with Observation::as<E>() (their
// from_protocol is false); their JSON is built only while a trace is written, or when a
// checker asks for Observation::fields().
//
// An event is handed over by reference for the length of one record call and never
// stored, so `fault` (the scenario's description of the fault that caused it, a payload
// of the fault layer: faults/fault_action.h) is a view that is valid only that long.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/json.h"
#include "core/payload.h"

namespace dsim::fault_events {

// A node stopped: what its disk lost (writes not yet synced), and the torn write a crash
// left half on disk (written only when there was one).
struct Crash {
  static constexpr std::string_view kName = "crash";
  uint64_t unsynced_writes_lost = 0;
  uint64_t torn_writes = 0;
  void write_fields(Json& out) const {
    out["unsynced_writes_lost"] = unsynced_writes_lost;
    if (torn_writes > 0) out["torn_writes"] = torn_writes;
  }
};

// A fresh process started on a node that was down; `incarnation` counts its starts from 0.
struct Restart {
  static constexpr std::string_view kName = "restart";
  uint32_t incarnation = 0;
  void write_fields(Json& out) const { out["incarnation"] = incarnation; }
};

struct Pause {
  static constexpr std::string_view kName = "pause";
  void write_fields(Json&) const {}
};

// `backlog`: the messages and timers that piled up while the node was paused.
struct Resume {
  static constexpr std::string_view kName = "resume";
  uint64_t backlog = 0;
  void write_fields(Json& out) const { out["backlog"] = backlog; }
};

struct ClockJump {
  static constexpr std::string_view kName = "clock_jump";
  int64_t by_ns = 0;
  void write_fields(Json& out) const { out["by_ns"] = by_ns; }
};

struct ClockDrift {
  static constexpr std::string_view kName = "clock_drift";
  int64_t drift_ppm = 0;
  void write_fields(Json& out) const { out["drift_ppm"] = drift_ppm; }
};

// A cut opened (partition, partition_one_way, isolate): the fault's description, then the
// cut's id (what a later heal names).
struct Partition {
  static constexpr std::string_view kName = "partition";
  PayloadRef fault;
  uint64_t cut = 0;
  void write_fields(Json& out) const {
    fault.write_fields(out);
    out["cut"] = cut;
  }
};

// Cuts removed: one by id (`cut`), or every open cut (no `cut`).
struct Heal {
  static constexpr std::string_view kName = "heal";
  std::optional<uint64_t> cut;
  uint64_t cuts_healed = 0;
  void write_fields(Json& out) const {
    if (cut) out["cut"] = *cut;
    out["cuts_healed"] = cuts_healed;
  }
};

// A slow or lossy link window opened.
struct LinkWindowStart {
  static constexpr std::string_view kName = "link_window_start";
  PayloadRef fault;
  uint64_t window = 0;
  void write_fields(Json& out) const {
    fault.write_fields(out);
    out["window"] = window;
  }
};

struct LinkWindowEnd {
  static constexpr std::string_view kName = "link_window_end";
  uint64_t window = 0;
  void write_fields(Json& out) const { out["window"] = window; }
};

// One activity of a node stalled (Simulation::stall).
struct StallStart {
  static constexpr std::string_view kName = "stall";
  PayloadRef fault;
  uint64_t stall = 0;
  void write_fields(Json& out) const {
    fault.write_fields(out);
    out["stall"] = stall;
  }
};

// A stall ended: at its time, handing over the `held` events; or by a crash of its node,
// which dropped them (then written as held_lost and ended_by "crash").
struct StallEnd {
  static constexpr std::string_view kName = "stall_end";
  uint64_t stall = 0;
  uint64_t held = 0;
  bool by_crash = false;
  void write_fields(Json& out) const {
    out["stall"] = stall;
    if (by_crash) {
      out["held_lost"] = held;
      out["ended_by"] = "crash";
    } else {
      out["held"] = held;
    }
  }
};

// A disk_fail or disk_slow window opened on a node.
struct DiskFaultStart {
  static constexpr std::string_view kName = "disk_fault_start";
  PayloadRef fault;
  uint64_t window = 0;
  void write_fields(Json& out) const {
    fault.write_fields(out);
    out["window"] = window;
  }
};

struct DiskFaultEnd {
  static constexpr std::string_view kName = "disk_fault_end";
  uint64_t window = 0;
  void write_fields(Json& out) const { out["window"] = window; }
};

// A sync covering the store's writes up to `through` waits: until the hang's window ends
// (hang), or for `extra_ns` more (a slow disk).
struct SyncDelayed {
  static constexpr std::string_view kName = "sync_delayed";
  uint64_t through = 0;
  bool hang = false;
  int64_t extra_ns = 0;
  void write_fields(Json& out) const {
    out["through"] = through;
    if (hang) {
      out["until"] = "window_end";
    } else {
      out["extra_ns"] = extra_ns;
    }
  }
};

struct SyncDone {
  static constexpr std::string_view kName = "sync_done";
  uint64_t through = 0;
  void write_fields(Json& out) const { out["through"] = through; }
};

// A fault that would have changed nothing, and why (Simulation::fault_skipped). `reason`
// is a literal.
struct FaultSkipped {
  static constexpr std::string_view kName = "fault_skipped";
  PayloadRef fault;
  std::string_view reason;
  void write_fields(Json& out) const {
    fault.write_fields(out);
    out["reason"] = reason;
  }
};

}  // namespace dsim::fault_events
