#include "explore/sweep_record.h"

#include <stdexcept>

namespace dsim::explore {

Json to_json(const SweepRecord& r) {
  Json j = Json::object();
  j["seed"] = r.seed;
  j["verdict"] = r.failed ? "fail" : "pass";
  j["check"] = r.failed ? Json(r.check) : Json(nullptr);
  j["at_ns"] = r.failed ? Json(r.at_ns) : Json(nullptr);
  if (r.failed) {
    j["nodes"] = r.nodes;
    j["message"] = r.message;
  }
  j["stopped_by"] = r.stopped_by;
  j["events"] = r.events;
  j["sim_time_ns"] = r.sim_time_ns;
  j["wall_us"] = r.wall_us;
  j["scenario"] = r.scenario;
  j["scenario_hash"] = r.scenario_hash;
  j["protocol"] = r.protocol;
  j["version"] = r.version;
  j["fault_mix"] = r.fault_mix;
  j["faults"] = r.faults;
  j["proto_events"] = r.proto_events;
  j["checks"] = r.checks;
  j["replay"] = r.replay;
  return j;
}

std::string to_line(const SweepRecord& r) { return to_json(r).dump() + "\n"; }

namespace {

const Json& field(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) {
    throw std::runtime_error(std::string("missing field \"") + key + "\"");
  }
  return j[key];
}

template <typename T>
T get(const Json& j, const char* key) {
  try {
    return field(j, key).get<T>();
  } catch (const Json::exception&) {
    throw std::runtime_error(std::string("field \"") + key + "\" has the wrong type");
  }
}

}  // namespace

SweepRecord record_from_json(const Json& j) {
  SweepRecord r;
  r.seed = get<uint64_t>(j, "seed");
  std::string verdict = get<std::string>(j, "verdict");
  if (verdict != "pass" && verdict != "fail") throw std::runtime_error("bad verdict " + verdict);
  r.failed = verdict == "fail";
  if (r.failed) {
    r.check = get<std::string>(j, "check");
    r.at_ns = get<int64_t>(j, "at_ns");
    r.nodes = get<std::vector<std::string>>(j, "nodes");
    r.message = get<std::string>(j, "message");
  }
  r.stopped_by = get<std::string>(j, "stopped_by");
  r.events = get<uint64_t>(j, "events");
  r.sim_time_ns = get<int64_t>(j, "sim_time_ns");
  r.wall_us = get<int64_t>(j, "wall_us");
  r.scenario = get<std::string>(j, "scenario");
  r.scenario_hash = get<std::string>(j, "scenario_hash");
  r.protocol = get<std::string>(j, "protocol");
  r.version = get<std::string>(j, "version");
  r.fault_mix = get<std::vector<std::string>>(j, "fault_mix");
  r.faults = get<std::map<std::string, uint64_t>>(j, "faults");
  r.proto_events = get<std::map<std::string, uint64_t>>(j, "proto_events");
  r.checks = get<std::vector<std::string>>(j, "checks");
  r.replay = get<std::string>(j, "replay");
  return r;
}

std::string first_difference(const SweepRecord& a, const SweepRecord& b) {
  if (a.seed != b.seed) return "seed";
  if (a.scenario_hash != b.scenario_hash) return "scenario_hash";
  if (a.failed != b.failed) return "verdict";
  if (a.check != b.check) return "check";
  if (a.at_ns != b.at_ns) return "at_ns";
  if (a.nodes != b.nodes) return "nodes";
  if (a.message != b.message) return "message";
  if (a.stopped_by != b.stopped_by) return "stopped_by";
  if (a.events != b.events) return "events";
  if (a.sim_time_ns != b.sim_time_ns) return "sim_time_ns";
  if (a.scenario != b.scenario) return "scenario";
  if (a.protocol != b.protocol) return "protocol";
  if (a.fault_mix != b.fault_mix) return "fault_mix";
  if (a.faults != b.faults) return "faults";
  if (a.proto_events != b.proto_events) return "proto_events";
  if (a.checks != b.checks) return "checks";
  return "";
}

bool same_outcome(const SweepRecord& a, const SweepRecord& b) {
  return first_difference(a, b).empty();
}

}  // namespace dsim::explore
