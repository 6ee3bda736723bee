#include "faults/fault_action.h"

namespace dsim {

const std::vector<std::string>& fault_action_names() {
  static const std::vector<std::string> kNames = {
      "crash",      "restart",     "pause",     "resume",    "partition",  "partition_one_way",
      "isolate",    "heal",        "clock_jump", "clock_drift", "link_slow", "link_lossy",
      "stall",      "disk_fail",   "disk_slow"};
  return kNames;
}

const std::vector<std::string>& disk_op_names() {
  static const std::vector<std::string> kOps = {"write", "sync", "read"};
  return kOps;
}

Json latency_to_json(const LatencyModel& m) {
  Json j = Json::object();
  switch (m.kind) {
    case LatencyModel::Kind::kConstant:
      j["dist"] = "constant";
      j["value"] = format_duration(m.value);
      break;
    case LatencyModel::Kind::kUniform:
      j["dist"] = "uniform";
      j["min"] = format_duration(m.value);
      j["max"] = format_duration(m.max);
      break;
    case LatencyModel::Kind::kExponential:
      j["dist"] = "exponential";
      j["mean"] = format_duration(m.value);
      break;
    case LatencyModel::Kind::kLognormal:
      j["dist"] = "lognormal";
      j["median"] = format_duration(m.value);
      j["sigma"] = m.shape;
      break;
    case LatencyModel::Kind::kPareto:
      j["dist"] = "pareto";
      j["scale"] = format_duration(m.value);
      j["shape"] = m.shape;
      break;
  }
  if (m.floor.ns != 0) j["floor"] = format_duration(m.floor);
  if (m.cap != Duration::seconds(60)) j["cap"] = format_duration(m.cap);
  return j;
}

const char* to_string(FaultAction::Kind k) {
  return fault_action_names()[static_cast<size_t>(k)].c_str();
}

namespace {
Json names_of(const Cluster& c, const std::vector<NodeId>& ids) {
  Json out = Json::array();
  for (NodeId n : ids) out.push_back(c.name(n));
  return out;
}
}  // namespace

Json FaultAction::to_json(const Cluster& cluster) const {
  Json j = Json::object();
  j["at"] = format_duration(Duration{at.ns});
  write_description(j, cluster);
  return j;
}

void FaultAction::write_description(Json& j, const Cluster& cluster) const {
  j["action"] = to_string(kind);
  switch (kind) {
    case Kind::kCrash:
    case Kind::kRestart:
    case Kind::kPause:
    case Kind::kResume:
    case Kind::kIsolate:
      j["node"] = nodes.size() == 1 ? Json(cluster.name(nodes[0])) : names_of(cluster, nodes);
      break;
    case Kind::kPartition: {
      Json g = Json::array();
      for (const auto& group : groups) g.push_back(names_of(cluster, group));
      j["groups"] = g;
      break;
    }
    case Kind::kPartitionOneWay:
      j["from"] = names_of(cluster, from);
      j["to"] = names_of(cluster, to);
      break;
    case Kind::kHeal:
      break;
    case Kind::kClockJump:
      j["node"] = names_of(cluster, nodes);
      j["by"] = format_duration(by);
      break;
    case Kind::kClockDrift:
      j["node"] = names_of(cluster, nodes);
      j["ppm"] = drift_ppm;
      break;
    case Kind::kLinkSlow:
      j["from"] = names_of(cluster, from);
      j["to"] = names_of(cluster, to);
      j["extra_latency"] = format_duration(extra_latency);
      break;
    case Kind::kLinkLossy:
      j["from"] = names_of(cluster, from);
      j["to"] = names_of(cluster, to);
      j["loss"] = loss;
      break;
    case Kind::kStall:
      j["node"] = names_of(cluster, nodes);
      if (!timer_kinds.empty()) j["timers"] = timer_kinds;
      if (!message_types.empty()) j["messages"] = message_types;
      break;
    case Kind::kDiskFail:
      j["node"] = names_of(cluster, nodes);
      j["ops"] = disk_ops;
      j["mode"] = disk_hang ? "hang" : "fail";
      break;
    case Kind::kDiskSlow:
      j["node"] = names_of(cluster, nodes);
      j["latency"] = latency_to_json(disk_latency);
      break;
  }
  if (!name.empty()) j["name"] = name;
  if (lasts) j["for"] = format_duration(*lasts);
}

}  // namespace dsim
