#include "protocols/locks/lock_settings_reader.h"

namespace dsim::locks {

const char* to_string(LockService s) {
  switch (s) {
    case LockService::kSeed:
      return "seed";
    case LockService::kRedis:
      return "redis";
    case LockService::kRedlock:
      return "redlock";
    case LockService::kZookeeper:
      return "zookeeper";
    case LockService::kConsul:
      return "consul";
  }
  return "?";
}

Duration ServiceSettings::recovery_time() const {
  switch (service) {
    case LockService::kSeed:
      return Duration::zero();
    case LockService::kRedis:
    case LockService::kRedlock:
      return ttl;
    case LockService::kZookeeper:
      return session_timeout;
    case LockService::kConsul:
      return session_ttl;
  }
  return Duration::zero();
}

namespace {

Duration positive(ConfigReader& r, const std::string& key, Duration fallback) {
  Duration d = r.duration(key, fallback);
  if (d.ns <= 0) r.fail(key, "expected a positive duration");
  return d;
}

LockService service_of(const std::string& variant) {
  if (variant == "seed") return LockService::kSeed;
  if (variant == "redis") return LockService::kRedis;
  if (variant == "redlock") return LockService::kRedlock;
  if (variant == "zookeeper") return LockService::kZookeeper;
  return LockService::kConsul;
}

ServiceSettings read_service(ConfigReader& r, const std::string& variant) {
  ServiceSettings s;
  s.service = service_of(variant);
  s.fencing = r.boolean("fencing", false);
  s.request_timeout = positive(r, "request_timeout", s.request_timeout);
  s.liveness_bound = r.duration("liveness_bound", s.liveness_bound);
  if (s.service == LockService::kRedis || s.service == LockService::kRedlock) {
    s.ttl = positive(r, "ttl", s.ttl);
    s.drift_factor = r.number("drift_factor", s.drift_factor, 0.0, 0.5);
    s.persist_sync = r.choice("persist", {"sync", "none"}, "sync") == "sync";
  }
  if (s.service == LockService::kRedis) s.unsafe_release = r.boolean("unsafe_release", false);
  if (s.service == LockService::kRedlock) {
    s.validity_check_elapsed = r.choice("validity_check", {"elapsed", "none"}, "elapsed") == "elapsed";
  }
  if (s.service == LockService::kZookeeper) {
    s.session_timeout = positive(r, "session_timeout", s.session_timeout);
    s.watch_parent = r.choice("watch", {"predecessor", "parent"}, "predecessor") == "parent";
    s.verify_own_entry = r.boolean("verify_own_entry", true);
    s.protected_create = r.boolean("protected_create", false);
  }
  if (s.service == LockService::kConsul) {
    s.session_ttl = positive(r, "session_ttl", s.session_ttl);
    s.lock_delay = r.duration("lock_delay", s.lock_delay);
    s.lock_retry = positive(r, "lock_retry", s.lock_retry);
  }
  return s;
}

WorkloadSettings read_workload(ConfigReader& r, const Cluster& cluster) {
  WorkloadSettings w;
  w.rounds = r.integer("rounds", w.rounds, 0, 1'000'000'000);
  w.start = r.duration("start", w.start);
  w.stagger = r.duration("stagger", w.stagger);
  ConfigReader starts = r.object("starts");
  for (auto it = starts.json().begin(); it != starts.json().end(); ++it) {
    auto node = cluster.find(it.key());
    if (!node || cluster.role(*node) != "client") starts.fail(it.key(), "expected the name of a client node");
    w.starts[it.key()] = starts.duration(it.key(), Duration::zero());
  }
  starts.finish();
  w.writes = r.integer("writes", w.writes, 0, 1'000'000);
  w.write_time = r.duration("write_time", w.write_time);
  w.write_timeout = positive(r, "write_timeout", w.write_timeout);
  w.think_time = r.duration("think_time", w.think_time);
  w.backoff_min = positive(r, "backoff_min", w.backoff_min);
  w.backoff_max = r.duration("backoff_max", w.backoff_max);
  if (w.backoff_max < w.backoff_min) r.fail("backoff_max", "expected backoff_max >= backoff_min");
  return w;
}

void check_roles(ProtocolSettings& s, const LockSettings& settings) {
  const Cluster& c = s.cluster;
  for (const std::string& role : c.roles()) {
    if (role != "client" && role != "lock" && role != "resource") {
      s.protocol.fail_here("the locks protocol knows the roles client, lock and resource; got \"" +
                           role + "\" (name roles in \"nodes\", e.g. {\"lock\": 1, \"client\": 3, "
                           "\"resource\": 1})");
    }
  }
  size_t locks = c.with_role("lock").size();
  bool redlock = settings.service.service == LockService::kRedlock;
  if (locks == 0 || (!redlock && locks != 1)) {
    s.protocol.fail_here(std::string("variant ") + to_string(settings.service.service) + " needs " +
                         (redlock ? "at least one node" : "exactly one node") +
                         " with role \"lock\"; the scenario has " + std::to_string(locks));
  }
  if (c.with_role("client").empty()) s.protocol.fail_here("expected at least one node with role \"client\"");
  size_t resources = c.with_role("resource").size();
  bool needs_resource = settings.workload.writes > 0 || settings.service.fencing;
  if (resources > 1 || (needs_resource && resources == 0)) {
    s.protocol.fail_here("expected exactly one node with role \"resource\" (clients write to it" +
                         std::string(settings.service.fencing ? " and fencing is on" : "") + "); got " +
                         std::to_string(resources));
  }
}

}  // namespace

LockSettings read_lock_settings(ProtocolSettings& s) {
  LockSettings settings;
  settings.service = read_service(s.protocol, s.variant);
  settings.workload = read_workload(s.workload, s.cluster);
  check_roles(s, settings);
  return settings;
}

}  // namespace dsim::locks
