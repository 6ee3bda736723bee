#include "faults/fault_runner.h"

#include <algorithm>
#include <map>
#include <memory>

namespace dsim {
namespace {

// Live handles of the cuts and windows this schedule opened, by name.
struct Handles {
  std::map<std::string, std::vector<uint64_t>> cuts_by_name;
  std::map<std::string, std::vector<uint64_t>> windows_by_name;
};

// How the simulator's events describe an action (its JSON form without "at", written
// only when a trace or a checker asks). Valid while `a` and `cluster` are.
FaultDescription describe(const FaultAction& a, const Cluster& cluster, bool undo = false) {
  return FaultDescription{&a, &cluster, undo};
}

Cut groups_cut(size_t n, const std::vector<std::vector<NodeId>>& groups) {
  Cut cut;
  cut.kind = Cut::Kind::kGroups;
  // Unlisted nodes form one more group of their own (index = groups.size()).
  cut.group_of.assign(n, static_cast<int32_t>(groups.size()));
  for (size_t g = 0; g < groups.size(); ++g) {
    for (NodeId node : groups[g]) cut.group_of[node] = static_cast<int32_t>(g);
  }
  return cut;
}

// The node verbs, each applied only when it changes something; otherwise skipped and
// traced (random timing can crash a node a script already crashed, or restart one that is
// back up). `undo` marks the end of a fault with a `for`. A scripted schedule that would
// skip is refused at load (scenario/schedule_check.h); these arise only at run time.
enum class NodeVerb { kCrash, kRestart, kPause, kResume };

void node_verb(Simulation& sim, NodeVerb verb, NodeId n, const FaultAction& a, bool undo) {
  const char* skip = nullptr;
  switch (verb) {
    case NodeVerb::kCrash:
      if (!sim.node_up(n)) skip = "node is down";
      break;
    case NodeVerb::kRestart:
      if (sim.node_up(n)) skip = "node is running";
      break;
    case NodeVerb::kPause:
      if (!sim.node_up(n)) skip = "node is down";
      else if (sim.node_paused(n)) skip = "node is already paused";
      break;
    case NodeVerb::kResume:
      if (!sim.node_paused(n)) skip = "node is not paused";
      break;
  }
  if (skip != nullptr) {
    // Described only here: a verb that applies traces no description.
    FaultDescription fault = describe(a, sim.cluster(), undo);
    sim.fault_skipped(n, PayloadRef::to(fault), skip);
    return;
  }
  switch (verb) {
    case NodeVerb::kCrash: sim.crash(n); break;
    case NodeVerb::kRestart: sim.restart(n); break;
    case NodeVerb::kPause: sim.pause(n); break;
    case NodeVerb::kResume: sim.resume(n); break;
  }
}

// The actions of one schedule and its handles, shared by the events it schedules (the
// actions outlive every event that refers to them).
struct ScheduleState {
  std::vector<FaultAction> actions;
  Handles handles;
};

std::function<void()> node_fault(Simulation& sim, std::shared_ptr<ScheduleState> state,
                                 const FaultAction& a, NodeVerb verb,
                                 std::optional<NodeVerb> undo_verb) {
  for (NodeId n : a.nodes) node_verb(sim, verb, n, a, false);
  if (!undo_verb) return nullptr;
  return [&sim, state = std::move(state), &a, verb = *undo_verb] {
    for (NodeId n : a.nodes) node_verb(sim, verb, n, a, true);
  };
}

// Applies one action now; returns the undo to run after `lasts`, if any.
std::function<void()> apply(Simulation& sim, const std::shared_ptr<ScheduleState>& state,
                            const FaultAction& a) {
  const Cluster& cluster = sim.cluster();
  Handles& h = state->handles;
  switch (a.kind) {
    case FaultAction::Kind::kCrash:
      return node_fault(sim, state, a, NodeVerb::kCrash, NodeVerb::kRestart);
    case FaultAction::Kind::kRestart:
      return node_fault(sim, state, a, NodeVerb::kRestart, std::nullopt);
    case FaultAction::Kind::kPause:
      return node_fault(sim, state, a, NodeVerb::kPause, NodeVerb::kResume);
    case FaultAction::Kind::kResume:
      return node_fault(sim, state, a, NodeVerb::kResume, std::nullopt);
    case FaultAction::Kind::kPartition:
    case FaultAction::Kind::kIsolate:
    case FaultAction::Kind::kPartitionOneWay: {
      Cut cut;
      if (a.kind == FaultAction::Kind::kPartition) {
        cut = groups_cut(cluster.size(), a.groups);
      } else if (a.kind == FaultAction::Kind::kIsolate) {
        cut = groups_cut(cluster.size(), {a.nodes});
      } else {
        cut.kind = Cut::Kind::kOneWay;
        cut.from = NodeSet::of(cluster.size(), a.from);
        cut.to = NodeSet::of(cluster.size(), a.to);
      }
      FaultDescription description = describe(a, cluster);
      uint64_t id = sim.partition(std::move(cut), PayloadRef::to(description));
      if (!a.name.empty()) h.cuts_by_name[a.name].push_back(id);
      return [&sim, id] { sim.heal(id); };
    }
    case FaultAction::Kind::kHeal:
      if (a.name.empty()) {
        sim.heal(std::nullopt);
        h.cuts_by_name.clear();
      } else {
        // The handles of that name may all have ended already (by their `for`, or a
        // heal-all): then the heal changes nothing, and is skipped.
        const Network& net = sim.network();
        size_t open_before = net.active_cuts() + net.active_windows();
        for (uint64_t id : h.cuts_by_name[a.name]) sim.heal(id);
        for (uint64_t id : h.windows_by_name[a.name]) sim.end_link_window(id);
        h.cuts_by_name.erase(a.name);
        h.windows_by_name.erase(a.name);
        if (net.active_cuts() + net.active_windows() == open_before) {
          FaultDescription description = describe(a, cluster);
          sim.fault_skipped(kNoNode, PayloadRef::to(description), "nothing of that name is open");
        }
      }
      return nullptr;
    case FaultAction::Kind::kClockJump:
      for (NodeId n : a.nodes) sim.clock_jump(n, a.by);
      return [&sim, nodes = a.nodes, by = a.by] {
        for (NodeId n : nodes) sim.clock_jump(n, -by);
      };
    case FaultAction::Kind::kClockDrift:
      for (NodeId n : a.nodes) sim.clock_drift(n, a.drift_ppm);
      return [&sim, nodes = a.nodes] { for (NodeId n : nodes) sim.clock_drift(n, 0); };
    case FaultAction::Kind::kStall: {
      // A stall of a down node would hold nothing: skipped, like a pause of one.
      std::vector<uint64_t> ids;
      const FaultDescription description = describe(a, cluster);
      StallSpec spec{a.timer_kinds, a.message_types};
      for (NodeId n : a.nodes) {
        if (!sim.node_up(n)) {
          sim.fault_skipped(n, PayloadRef::to(description), "node is down");
        } else {
          ids.push_back(sim.stall(n, spec, PayloadRef::to(description)));
        }
      }
      return [&sim, ids] { for (uint64_t id : ids) sim.end_stall(id); };
    }
    case FaultAction::Kind::kDiskFail:
    case FaultAction::Kind::kDiskSlow: {
      // The disk is the host's: a down node's disk can be faulty too (it shows on restart).
      std::vector<uint64_t> ids;
      const FaultDescription description = describe(a, cluster);
      for (NodeId n : a.nodes) {
        if (a.kind == FaultAction::Kind::kDiskSlow) {
          ids.push_back(sim.disk_slow(n, a.disk_latency, PayloadRef::to(description)));
          continue;
        }
        DiskFailSpec spec;
        auto has = [&](const char* op) {
          return std::find(a.disk_ops.begin(), a.disk_ops.end(), op) != a.disk_ops.end();
        };
        spec.writes = has("write");
        spec.syncs = has("sync");
        spec.reads = has("read");
        spec.hang = a.disk_hang;
        ids.push_back(sim.disk_fail(n, spec, PayloadRef::to(description)));
      }
      return [&sim, ids] { for (uint64_t id : ids) sim.end_disk_window(id); };
    }
    case FaultAction::Kind::kLinkSlow:
    case FaultAction::Kind::kLinkLossy: {
      LinkWindow w;
      w.from = NodeSet::of(cluster.size(), a.from);
      w.to = NodeSet::of(cluster.size(), a.to);
      w.extra_latency = a.kind == FaultAction::Kind::kLinkSlow ? a.extra_latency : Duration{};
      w.extra_loss = a.kind == FaultAction::Kind::kLinkLossy ? a.loss : 0.0;
      FaultDescription description = describe(a, cluster);
      uint64_t id = sim.add_link_window(std::move(w), PayloadRef::to(description));
      if (!a.name.empty()) h.windows_by_name[a.name].push_back(id);
      return [&sim, id] { sim.end_link_window(id); };
    }
  }
  return nullptr;
}

}  // namespace

void schedule_faults(Simulation& sim, const std::vector<FaultAction>& actions) {
  auto state = std::make_shared<ScheduleState>();
  state->actions = actions;
  for (const FaultAction& action : state->actions) {
    sim.at(action.at, [&sim, state, &action] {
      std::function<void()> undo = apply(sim, state, action);
      if (action.lasts && undo) sim.at(sim.now() + *action.lasts, std::move(undo));
    });
  }
}

}  // namespace dsim
