#include "faults/fault_runner.h"

#include <map>
#include <memory>

namespace dsim {
namespace {

// Live handles of the cuts and windows this schedule opened, by name.
struct Handles {
  std::map<std::string, std::vector<uint64_t>> cuts_by_name;
  std::map<std::string, std::vector<uint64_t>> windows_by_name;
};

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

// Applies one action now; returns the undo to run after `lasts`, if any.
std::function<void()> apply(Simulation& sim, const FaultAction& a, Handles& h) {
  const Cluster& cluster = sim.cluster();
  Json description = a.to_json(cluster);
  description.erase("at");
  switch (a.kind) {
    case FaultAction::Kind::kCrash:
      for (NodeId n : a.nodes) sim.crash(n);
      return [&sim, nodes = a.nodes] { for (NodeId n : nodes) sim.restart(n); };
    case FaultAction::Kind::kRestart:
      for (NodeId n : a.nodes) sim.restart(n);
      return nullptr;
    case FaultAction::Kind::kPause:
      for (NodeId n : a.nodes) sim.pause(n);
      return [&sim, nodes = a.nodes] { for (NodeId n : nodes) sim.resume(n); };
    case FaultAction::Kind::kResume:
      for (NodeId n : a.nodes) sim.resume(n);
      return nullptr;
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
      uint64_t id = sim.partition(std::move(cut), description);
      if (!a.name.empty()) h.cuts_by_name[a.name].push_back(id);
      return [&sim, id] { sim.heal(id); };
    }
    case FaultAction::Kind::kHeal:
      if (a.name.empty()) {
        sim.heal(std::nullopt);
        h.cuts_by_name.clear();
      } else {
        for (uint64_t id : h.cuts_by_name[a.name]) sim.heal(id);
        for (uint64_t id : h.windows_by_name[a.name]) sim.end_link_window(id);
        h.cuts_by_name.erase(a.name);
        h.windows_by_name.erase(a.name);
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
    case FaultAction::Kind::kLinkSlow:
    case FaultAction::Kind::kLinkLossy: {
      LinkWindow w;
      w.from = NodeSet::of(cluster.size(), a.from);
      w.to = NodeSet::of(cluster.size(), a.to);
      w.extra_latency = a.kind == FaultAction::Kind::kLinkSlow ? a.extra_latency : Duration{};
      w.extra_loss = a.kind == FaultAction::Kind::kLinkLossy ? a.loss : 0.0;
      uint64_t id = sim.add_link_window(std::move(w), description);
      if (!a.name.empty()) h.windows_by_name[a.name].push_back(id);
      return [&sim, id] { sim.end_link_window(id); };
    }
  }
  return nullptr;
}

}  // namespace

void schedule_faults(Simulation& sim, const std::vector<FaultAction>& actions) {
  auto handles = std::make_shared<Handles>();
  for (const FaultAction& action : actions) {
    sim.at(action.at, [&sim, action, handles] {
      std::function<void()> undo = apply(sim, action, *handles);
      if (action.lasts && undo) sim.at(sim.now() + *action.lasts, std::move(undo));
    });
  }
}

}  // namespace dsim
