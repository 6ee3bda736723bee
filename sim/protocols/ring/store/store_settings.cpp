#include "protocols/ring/store/store_settings.h"

#include <algorithm>

namespace dsim::ring {
namespace {

size_t count(ConfigReader& r, const std::string& key, size_t fallback, size_t min, size_t max) {
  return static_cast<size_t>(r.integer(key, static_cast<int64_t>(fallback), static_cast<int64_t>(min),
                                       static_cast<int64_t>(max)));
}

void read_protocol(ProtocolSettings& s, StoreSettings& out) {
  ConfigReader& p = s.protocol;
  out.placement.algorithm = s.variant;
  out.placement.vnodes = static_cast<uint32_t>(count(p, "vnodes", 160, 1, 100000));
  out.placement.table_size = static_cast<uint32_t>(count(p, "table_size", 65537, 3, 50'000'000));
  out.placement.probes = static_cast<uint32_t>(count(p, "probes", 21, 1, 1024));
  out.placement.epsilon = p.number("epsilon", 0.25, 0.001, 100.0);
  out.placement.min_ring_size = count(p, "min_ring_size", 1024, 1, 8388608);
  out.placement.max_ring_size = count(p, "max_ring_size", 8388608, 1, 8388608);
  out.placement.token_seed = count(p, "token_seed", 1, 0, UINT32_MAX);
  if (std::string problem = validate_options(out.placement); !problem.empty()) {
    p.fail(problem.find("ring_size") != std::string::npos ? "min_ring_size" : "table_size", problem);
  }
  out.replicas = count(p, "replicas", 3, 1, 16);
  out.write_quorum = count(p, "write_quorum", out.replicas / 2 + 1, 1, out.replicas);
  out.read_quorum = count(p, "read_quorum", out.replicas / 2 + 1, 1, out.replicas);
  out.heartbeat_interval = p.duration("heartbeat_interval", Duration::millis(100));
  out.suspect_timeout = p.duration("suspect_timeout", Duration::millis(500));
  out.request_timeout = p.duration("request_timeout", Duration::millis(200));
  if (out.heartbeat_interval.ns <= 0) p.fail("heartbeat_interval", "expected a positive duration");
  if (out.suspect_timeout <= out.heartbeat_interval) {
    p.fail("suspect_timeout", "expected a timeout longer than the heartbeat interval");
  }
  if (out.request_timeout.ns <= 0) p.fail("request_timeout", "expected a positive duration");
  out.transfer_batch = count(p, "transfer_batch", 32, 1, 10000);
  out.moved_keys_traced = count(p, "moved_keys_traced", 8, 0, 1000);

  out.stores = s.cluster.with_role("store");
  out.clients = s.cluster.with_role("client");
  if (out.stores.empty() || out.clients.empty()) {
    p.fail_here("the ring family needs nodes of role \"store\" and \"client\", e.g. \"nodes\": "
                "{\"store\": 6, \"client\": 2}");
  }
  std::vector<std::string> initial = p.string_list("initial_members");
  if (initial.empty()) out.initial_members = out.stores;
  for (const std::string& name : initial) {
    auto id = s.cluster.find(name);
    if (!id || s.cluster.role(*id) != "store") p.fail("initial_members", "\"" + name + "\" is not a store node");
    out.initial_members.push_back(*id);
  }
}

void read_workload(ProtocolSettings& s, StoreSettings& out) {
  ConfigReader& w = s.workload;
  out.keys = count(w, "keys", 200, 1, 1'000'000);
  out.ops_per_second = w.number("ops_per_second", 50, 0.0, 1e6);
  out.read_fraction = w.probability("read_fraction", 0.5);
  out.start = w.duration("start", Duration::seconds(1));
  out.stop = w.duration("stop", s.duration - Duration::seconds(1));
  if (out.stop < out.start) w.fail("stop", "expected stop >= start");
  out.client_timeout = w.duration("client_timeout", Duration::millis(600));
  if (out.client_timeout.ns <= 0) w.fail("client_timeout", "expected a positive duration");
  out.attempts = count(w, "attempts", 3, 1, 100);
  out.avoid_after_timeout = w.duration("avoid_after_timeout", Duration::seconds(1));
  out.availability_min = w.probability("availability_min", 0.0);
  out.peak_to_mean_max = w.number("peak_to_mean_max", 2.0, 1.0, 1e9);
}

}  // namespace

StoreSettings read_store_settings(ProtocolSettings& s) {
  StoreSettings out;
  read_protocol(s, out);
  read_workload(s, out);
  return out;
}

std::string key_name(size_t index) { return "key-" + std::to_string(index); }

}  // namespace dsim::ring
