#include "faults/nemesis.h"

#include <algorithm>

namespace dsim {

const std::vector<std::string>& default_random_fault_kinds() {
  static const std::vector<std::string> kKinds = {"partition", "partition_one_way", "isolate",
                                                  "crash",     "pause",             "clock_jump",
                                                  "clock_drift", "link_slow",       "link_lossy"};
  return kKinds;
}

const std::vector<std::string>& random_fault_kinds() {
  static const std::vector<std::string> kKinds = [] {
    std::vector<std::string> k = default_random_fault_kinds();
    for (const char* extra : {"stall", "disk_fail", "disk_slow"}) k.push_back(extra);
    return k;
  }();
  return kKinds;
}

namespace {

// A random non-empty proper subset of `nodes` (or the single node, if there is one).
std::vector<NodeId> random_subset(Rng& rng, std::vector<NodeId> nodes) {
  rng.shuffle(nodes);
  size_t k = nodes.size() <= 1 ? nodes.size() : 1 + rng.uniform(nodes.size() - 1);
  nodes.resize(k);
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

// A random non-empty subset of the stallable names, split back into timers and messages.
void draw_stall(Rng& rng, const NemesisConfig& c, FaultAction& a) {
  size_t n = c.stall_timers.size() + c.stall_messages.size();
  std::vector<size_t> picks(n);
  for (size_t i = 0; i < n; ++i) picks[i] = i;
  rng.shuffle(picks);
  picks.resize(1 + rng.uniform(n));
  std::sort(picks.begin(), picks.end());
  for (size_t i : picks) {
    if (i < c.stall_timers.size()) {
      a.timer_kinds.push_back(c.stall_timers[i]);
    } else {
      a.message_types.push_back(c.stall_messages[i - c.stall_timers.size()]);
    }
  }
}

void draw_disk_fail(Rng& rng, FaultAction& a) {
  a.disk_hang = rng.bernoulli(0.5);
  if (a.disk_hang) {
    a.disk_ops = {"sync"};
    return;
  }
  while (a.disk_ops.empty()) {
    for (const std::string& op : disk_op_names()) {
      if (rng.bernoulli(0.5)) a.disk_ops.push_back(op);
    }
  }
}

std::vector<NodeId> complement(size_t n, const std::vector<NodeId>& side) {
  std::vector<bool> in(n, false);
  for (NodeId x : side) in[x] = true;
  std::vector<NodeId> out;
  for (NodeId x = 0; x < n; ++x) {
    if (!in[x]) out.push_back(x);
  }
  return out;
}

}  // namespace

NemesisPlan plan_nemesis(const NemesisConfig& config, size_t cluster_size, uint64_t seed) {
  Rng rng = Rng::stream(seed, "nemesis");
  NemesisPlan plan;
  if (config.swarm) {
    while (plan.enabled_kinds.empty()) {
      for (const std::string& k : config.kinds) {
        if (rng.bernoulli(0.5)) plan.enabled_kinds.push_back(k);
      }
    }
  } else {
    plan.enabled_kinds = config.kinds;
  }
  if (plan.enabled_kinds.empty() || config.targets.empty() || config.stop <= config.start) {
    return plan;
  }

  // When each target is next free of a crash or pause (so they never overlap on a node),
  // and the end times of current crashes/pauses (to respect max_down).
  std::vector<Instant> busy_until(cluster_size, Instant::zero());
  std::vector<Instant> down_ends;

  Instant t = config.start;
  for (size_t draws = 0; draws < config.draws_max; ++draws) {
    t += Duration{static_cast<int64_t>(rng.exponential(static_cast<double>(config.mean_interval.ns)))};
    if (t >= config.stop) break;
    const std::string& kind = plan.enabled_kinds[rng.uniform(plan.enabled_kinds.size())];
    Duration lasts = rng.uniform_duration(config.duration_min, config.duration_max);
    if (t + lasts > config.stop) lasts = config.stop - t;
    FaultAction a;
    a.at = t;
    a.lasts = lasts;
    if (kind == "crash" || kind == "pause") {
      down_ends.erase(std::remove_if(down_ends.begin(), down_ends.end(),
                                     [&](Instant e) { return e <= t; }),
                      down_ends.end());
      if (down_ends.size() >= config.max_down) continue;
      std::vector<NodeId> free;
      for (NodeId n : config.targets) {
        if (busy_until[n] <= t) free.push_back(n);
      }
      if (free.empty()) continue;
      NodeId victim = free[rng.uniform(free.size())];
      a.kind = kind == "crash" ? FaultAction::Kind::kCrash : FaultAction::Kind::kPause;
      a.nodes = {victim};
      busy_until[victim] = t + lasts;
      down_ends.push_back(t + lasts);
    } else if (kind == "partition") {
      a.kind = FaultAction::Kind::kPartition;
      a.groups = {random_subset(rng, config.targets)};
    } else if (kind == "partition_one_way") {
      a.kind = FaultAction::Kind::kPartitionOneWay;
      a.from = random_subset(rng, config.targets);
      a.to = complement(cluster_size, a.from);
    } else if (kind == "isolate") {
      a.kind = FaultAction::Kind::kIsolate;
      a.nodes = {config.targets[rng.uniform(config.targets.size())]};
    } else if (kind == "clock_jump") {
      a.kind = FaultAction::Kind::kClockJump;
      a.nodes = {config.targets[rng.uniform(config.targets.size())]};
      a.by = rng.uniform_duration(-config.clock_jump_max, config.clock_jump_max);
    } else if (kind == "clock_drift") {
      a.kind = FaultAction::Kind::kClockDrift;
      a.nodes = {config.targets[rng.uniform(config.targets.size())]};
      a.drift_ppm = rng.uniform_int(-config.drift_ppm_max, config.drift_ppm_max);
    } else if (kind == "link_slow" || kind == "link_lossy") {
      a.kind = kind == "link_slow" ? FaultAction::Kind::kLinkSlow : FaultAction::Kind::kLinkLossy;
      a.from = random_subset(rng, config.targets);
      a.to = complement(cluster_size, a.from);
      if (a.to.empty()) a.to = a.from;
      a.extra_latency = rng.uniform_duration(Duration::zero(), config.extra_latency_max);
      a.loss = rng.uniform_real() * config.loss_max;
    } else if (kind == "stall") {
      // A stall needs a running node: one free of the nemesis's crashes and pauses.
      std::vector<NodeId> free;
      for (NodeId n : config.targets) {
        if (busy_until[n] <= t) free.push_back(n);
      }
      if (free.empty() || config.stall_timers.size() + config.stall_messages.size() == 0) continue;
      a.kind = FaultAction::Kind::kStall;
      a.nodes = {free[rng.uniform(free.size())]};
      draw_stall(rng, config, a);
    } else if (kind == "disk_fail") {
      a.kind = FaultAction::Kind::kDiskFail;
      a.nodes = {config.targets[rng.uniform(config.targets.size())]};
      draw_disk_fail(rng, a);
    } else if (kind == "disk_slow") {
      a.kind = FaultAction::Kind::kDiskSlow;
      a.nodes = {config.targets[rng.uniform(config.targets.size())]};
      a.disk_latency.kind = LatencyModel::Kind::kExponential;
      a.disk_latency.value = rng.uniform_duration(Duration::zero(), config.disk_latency_max);
    }
    plan.actions.push_back(std::move(a));
  }
  return plan;
}

}  // namespace dsim
