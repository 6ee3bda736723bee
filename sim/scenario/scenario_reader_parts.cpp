#include "scenario/scenario_reader_parts.h"

#include <algorithm>
#include <set>

#include "scenario/scenario_limits.h"
#include "scenario/setting_table.h"

namespace dsim {
namespace {

std::vector<NodeId> resolve_name(const std::string& file, const std::string& where,
                                 const std::string& name, const Cluster& cluster) {
  if (auto id = cluster.find(name)) return {*id};
  const auto& by_role = cluster.with_role(name);
  if (!by_role.empty()) return by_role;
  std::vector<std::string> candidates = cluster.names();
  candidates.insert(candidates.end(), cluster.roles().begin(), cluster.roles().end());
  std::string hint = closest_match(name, candidates);
  std::string some;
  for (size_t i = 0; i < cluster.size() && i < 8; ++i) some += (i ? ", " : "") + cluster.name(i);
  if (cluster.size() > 8) some += ", ...";
  throw ScenarioError(file, where,
                      "no node or role named \"" + name + "\"" +
                          (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                          "; nodes are " + some);
}

}  // namespace

std::vector<NodeId> read_node_list(const Json& v, const std::string& file,
                                   const std::string& path, const Cluster& cluster) {
  std::vector<std::string> names;
  if (v.is_string()) {
    names.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        throw ScenarioError(file, path + "[" + std::to_string(i) + "]",
                            "expected a node or role name, got " + v[i].dump());
      }
      names.push_back(v[i].get<std::string>());
    }
  } else {
    throw ScenarioError(file, path, "expected a node name or a list of node names, got " +
                                        v.dump());
  }
  if (names.size() == 1) {  // one node or one role: already sorted, no repeats
    return resolve_name(file, v.is_string() ? path : path + "[0]", names[0], cluster);
  }
  std::set<NodeId> out;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string where = v.is_string() ? path : path + "[" + std::to_string(i) + "]";
    for (NodeId n : resolve_name(file, where, names[i], cluster)) out.insert(n);
  }
  return {out.begin(), out.end()};
}

std::vector<NodeId> read_nodes(ConfigReader& r, const std::string& key, const Cluster& cluster,
                               bool required) {
  r.accept(key);
  if (!r.has(key) || r.json()[key].is_null()) {
    if (required) r.fail(key, "expected a node name or a list of node names");
    return {};
  }
  std::vector<NodeId> out = read_node_list(r.json()[key], r.file(), r.key_path(key), cluster);
  if (required && out.empty()) r.fail(key, "expected at least one node");
  return out;
}

LatencyModel read_latency(ConfigReader& parent, const std::string& key, LatencyModel fallback) {
  if (!parent.has(key)) {
    parent.accept(key);
    return fallback;
  }
  const Json& v = parent.json()[key];
  if (v.is_string() || v.is_number()) {  // a constant: "5ms", or integer ns
    LatencyModel m;
    m.kind = LatencyModel::Kind::kConstant;
    m.value = parent.duration(key, Duration::zero());
    return m;
  }
  ConfigReader r = parent.object(key);
  LatencyModel m;
  std::string dist =
      r.choice("dist", {"constant", "uniform", "exponential", "lognormal", "pareto"}, "constant");
  if (dist == "constant") {
    m.kind = LatencyModel::Kind::kConstant;
    m.value = r.duration("value", Duration::millis(1));
  } else if (dist == "uniform") {
    m.kind = LatencyModel::Kind::kUniform;
    m.value = r.duration("min", Duration::millis(1));
    m.max = r.duration("max", Duration::millis(10));
    require_order(r, {"min", m.value}, SettingOrder::kAtMost, {"max", m.max}, Blame::kHigh);
  } else if (dist == "exponential") {
    m.kind = LatencyModel::Kind::kExponential;
    m.value = r.duration("mean", Duration::millis(5));
  } else if (dist == "lognormal") {
    m.kind = LatencyModel::Kind::kLognormal;
    m.value = r.duration("median", Duration::millis(5));
    m.shape = r.number("sigma", 0.5, 0.0, 10.0);
  } else {
    m.kind = LatencyModel::Kind::kPareto;
    m.value = r.duration("scale", Duration::millis(1));
    m.shape = r.number("shape", 2.0, 0.1, 100.0);
  }
  m.floor = r.duration("floor", Duration::zero());
  m.cap = r.duration("cap", Duration::seconds(60));
  r.finish();
  return m;
}

LinkConfig read_link_config(ConfigReader& r, const LinkConfig& fallback) {
  LinkConfig c;
  c.latency = read_latency(r, "latency", fallback.latency);
  c.loss = r.probability("loss", fallback.loss);
  c.duplicate = r.probability("duplicate", fallback.duplicate);
  return c;
}

FaultAction read_fault_action(ConfigReader& r, const Cluster& cluster, Duration run_duration) {
  FaultAction a;
  if (!r.has("at")) r.fail("at", "expected the time of the fault, such as \"2s\"");
  Duration at = r.duration("at", Duration::zero());
  // Refused at the run's duration instead when --set shortened it (the user's change).
  require_order(r, {"at", at}, SettingOrder::kAtMost, OrderedSetting::run_duration(run_duration), Blame::kLow);
  a.at = Instant{at.ns};
  if (!r.has("action")) r.fail("action", "expected one of the fault actions, such as \"crash\"");
  std::string action = r.choice("action", fault_action_names(), "");
  a.kind = static_cast<FaultAction::Kind>(
      std::find(fault_action_names().begin(), fault_action_names().end(), action) -
      fault_action_names().begin());
  using K = FaultAction::Kind;
  switch (a.kind) {
    case K::kCrash:
    case K::kRestart:
    case K::kPause:
    case K::kResume:
    case K::kIsolate:
      a.nodes = read_nodes(r, "node", cluster, true);
      if (a.kind == K::kIsolate && a.nodes.size() == cluster.size()) {
        r.fail("node", "isolating every node cuts nothing; name the nodes to cut off");
      }
      break;
    case K::kPartition: {
      r.accept("groups");
      if (!r.has("groups") || !r.json()["groups"].is_array() || r.json()["groups"].empty()) {
        r.fail("groups", "expected a non-empty list of groups, each a list of node names");
      }
      const Json& groups = r.json()["groups"];
      std::set<NodeId> seen;
      for (size_t g = 0; g < groups.size(); ++g) {
        std::string where = r.key_path("groups") + "[" + std::to_string(g) + "]";
        std::vector<NodeId> members = read_node_list(groups[g], r.file(), where, cluster);
        for (NodeId n : members) {
          if (!seen.insert(n).second) {
            throw ScenarioError(r.file(), where,
                                "node \"" + cluster.name(n) + "\" is already in another group");
          }
        }
        a.groups.push_back(members);
      }
      // Unlisted nodes form one more group: fewer than two non-empty groups cut nothing.
      size_t sides = (seen.size() < cluster.size() ? 1 : 0);
      for (const auto& g : a.groups) sides += g.empty() ? 0 : 1;
      if (sides < 2) {
        r.fail("groups", "every node is in one group, so this partition cuts nothing; list at "
                         "least two groups, or one group that leaves some nodes out");
      }
      break;
    }
    case K::kPartitionOneWay:
    case K::kLinkSlow:
    case K::kLinkLossy:
      a.from = read_nodes(r, "from", cluster, true);
      a.to = read_nodes(r, "to", cluster, true);
      if (a.kind == K::kLinkSlow) {
        if (!r.has("extra_latency")) r.fail("extra_latency", "expected a duration");
        a.extra_latency = r.duration("extra_latency", Duration::zero());
      }
      if (a.kind == K::kLinkLossy) {
        if (!r.has("loss")) r.fail("loss", "expected a probability between 0 and 1");
        a.loss = r.probability("loss", 0.0);
      }
      break;
    case K::kHeal:
      break;
    case K::kClockJump:
      a.nodes = read_nodes(r, "node", cluster, true);
      if (!r.has("by")) r.fail("by", "expected a signed duration such as \"-500ms\"");
      a.by = r.duration("by", Duration::zero(), /*allow_negative=*/true);
      break;
    case K::kClockDrift:
      a.nodes = read_nodes(r, "node", cluster, true);
      if (!r.has("ppm")) r.fail("ppm", "expected the drift in parts per million");
      a.drift_ppm = r.integer("ppm", 0, -500000, 500000);
      break;
    case K::kStall:
      a.nodes = read_nodes(r, "node", cluster, true);
      a.timer_kinds = r.string_list("timers");
      a.message_types = r.string_list("messages");
      if (a.timer_kinds.empty() && a.message_types.empty()) {
        r.fail("timers", "expected the timer kinds (\"timers\") and/or message types "
                         "(\"messages\") the stalled activity handles, by their trace names");
      }
      break;
    case K::kDiskFail: {
      a.nodes = read_nodes(r, "node", cluster, true);
      if (!r.has("ops")) r.fail("ops", "expected a list of the disk operations that fail: "
                                       "\"write\", \"sync\", \"read\"");
      // A list only, as the schema says ("ops": "sync" is refused, with the list to write).
      a.disk_ops = r.strict_string_list("ops");
      if (a.disk_ops.empty()) r.fail("ops", "expected at least one of \"write\", \"sync\", \"read\"");
      for (size_t i = 0; i < a.disk_ops.size(); ++i) {
        const auto& all = disk_op_names();
        if (std::find(all.begin(), all.end(), a.disk_ops[i]) == all.end()) {
          throw ScenarioError(r.file(), r.key_path("ops") + "[" + std::to_string(i) + "]",
                              "expected \"write\", \"sync\" or \"read\", got \"" +
                                  a.disk_ops[i] + "\"");
        }
      }
      a.disk_hang = r.choice("mode", {"fail", "hang"}, "fail") == "hang";
      if (a.disk_hang && a.disk_ops != std::vector<std::string>{"sync"}) {
        r.fail("ops", "only syncs hang (writes land in the page cache, reads are answered or "
                      "fail): with \"mode\": \"hang\" expected \"ops\": [\"sync\"]");
      }
      break;
    }
    case K::kDiskSlow:
      a.nodes = read_nodes(r, "node", cluster, true);
      if (!r.has("latency")) {
        r.fail("latency", "expected the extra latency of each sync: a duration such as "
                          "\"20ms\" or a distribution {\"dist\": \"exponential\", \"mean\": \"5ms\"}");
      }
      a.disk_latency = read_latency(r, "latency", LatencyModel{});
      break;
  }
  a.name = r.string("name", "");
  a.lasts = r.optional_duration("for");
  if (a.lasts && (a.kind == K::kRestart || a.kind == K::kResume || a.kind == K::kHeal)) {
    r.fail("for", "\"" + action + "\" undoes a fault; it takes no duration");
  }
  r.finish();
  return a;
}

int64_t fault_node_entries(const FaultAction& a) {
  size_t n = a.nodes.size() + a.from.size() + a.to.size();
  for (const auto& g : a.groups) n += g.size();
  return static_cast<int64_t>(n);
}

NemesisConfig read_nemesis(ConfigReader& r, const Cluster& cluster, Duration run_duration) {
  NemesisConfig c;
  // A list only, as the schema says ("kinds": "crash" is refused, with the list to write).
  c.kinds = r.strict_string_list("kinds");
  if (c.kinds.empty()) c.kinds = default_random_fault_kinds();
  for (size_t i = 0; i < c.kinds.size(); ++i) {
    const auto& all = random_fault_kinds();
    if (std::find(all.begin(), all.end(), c.kinds[i]) == all.end()) {
      std::string hint = closest_match(c.kinds[i], all);
      std::string list;
      for (const auto& k : all) list += (list.empty() ? "" : ", ") + k;
      throw ScenarioError(r.file(), r.key_path("kinds") + "[" + std::to_string(i) + "]",
                          "expected one of " + list + ", got \"" + c.kinds[i] + "\"" +
                              (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }
  c.swarm = r.boolean("swarm", true);
  c.targets = read_nodes(r, "targets", cluster, false);
  if (c.targets.empty()) {
    for (NodeId n = 0; n < cluster.size(); ++n) c.targets.push_back(n);
  }
  const Duration start = r.duration("start", Duration{run_duration.ns / 10});
  const Duration stop = r.duration("stop", Duration{run_duration.ns * 6 / 10});
  // Each refusal names both values and where each came from (the file, --set, a default
  // computed from the duration), at the one the user changed.
  require_order(r, {"stop", stop, "6/10 of the duration"}, SettingOrder::kAtMost,
                OrderedSetting::run_duration(run_duration), Blame::kLow);
  require_order(r, {"start", start, "duration / 10"}, SettingOrder::kAtMost, {"stop", stop, "6/10 of the duration"},
                Blame::kHigh);
  c.start = Instant{start.ns};
  c.stop = Instant{stop.ns};
  c.mean_interval = r.positive_duration("mean_interval", Duration::seconds(1));
  // Bounds what the planner may hold before the run: the faults it draws on average, and
  // the node references they may carry (a random partition can name every node).
  int64_t expected = (c.stop - c.start).ns / c.mean_interval.ns;
  if (expected > kMaxNemesisFaults) {
    r.fail("mean_interval",
           "the random nemesis would plan about " + std::to_string(expected) + " faults from " +
               format_duration(Duration{c.start.ns}) + " to " + format_duration(Duration{c.stop.ns}) +
               " at one per " + format_duration(c.mean_interval) + "; expected at most " +
               std::to_string(kMaxNemesisFaults) + " (a longer mean_interval or a shorter window)");
  }
  if (expected * static_cast<int64_t>(cluster.size()) > kMaxFaultNodeEntries) {
    r.fail("mean_interval",
           "the random nemesis would plan about " + std::to_string(expected) + " faults over " +
               std::to_string(cluster.size()) + " nodes, up to " +
               std::to_string(expected * static_cast<int64_t>(cluster.size())) +
               " node references; expected at most " + std::to_string(kMaxFaultNodeEntries) +
               " (a longer mean_interval or a shorter window)");
  }
  c.draws_max = static_cast<size_t>(2 * kMaxNemesisFaults);
  c.duration_min = r.duration("duration_min", Duration::millis(100));
  c.duration_max = r.duration("duration_max", Duration::seconds(2));
  require_order(r, {"duration_min", c.duration_min}, SettingOrder::kAtMost, {"duration_max", c.duration_max},
                Blame::kHigh);
  c.max_down = static_cast<size_t>(
      r.integer("max_down", static_cast<int64_t>(std::max<size_t>(1, (c.targets.size() - 1) / 2)),
                0, static_cast<int64_t>(cluster.size())));
  c.clock_jump_max = r.duration("clock_jump_max", Duration::seconds(1));
  c.drift_ppm_max = r.integer("drift_ppm_max", 500, 0, 500000);
  c.extra_latency_max = r.duration("extra_latency_max", Duration::millis(200));
  c.loss_max = r.probability("loss_max", 0.5);
  c.stall_timers = r.string_list("stall_timers");
  c.stall_messages = r.string_list("stall_messages");
  if (std::find(c.kinds.begin(), c.kinds.end(), "stall") != c.kinds.end() &&
      c.stall_timers.empty() && c.stall_messages.empty()) {
    r.fail("stall_timers", "the kind \"stall\" needs the timer kinds (\"stall_timers\") "
                           "and/or message types (\"stall_messages\") a stall may hold, by "
                           "their trace names");
  }
  c.disk_latency_max = r.duration("disk_latency_max", Duration::millis(50));
  r.finish();
  return c;
}

}  // namespace dsim
