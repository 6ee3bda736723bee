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
    case LockService::kRaft:
      return "raft";
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
    case LockService::kRaft:
      // The lease, from the election of a leader that has not heard the keep-alives.
      return lease_ttl + election_timeout * 4;
  }
  return Duration::zero();
}

namespace {

using Type = Setting::Type;

LockService service_of(const std::string& variant) {
  if (variant == "seed") return LockService::kSeed;
  if (variant == "redis") return LockService::kRedis;
  if (variant == "redlock") return LockService::kRedlock;
  if (variant == "zookeeper") return LockService::kZookeeper;
  if (variant == "raft") return LockService::kRaft;
  return LockService::kConsul;
}

ServiceSettings read_service(ConfigReader& r, const std::string& variant) {
  const SettingTable& t = lock_setting_table();
  // Only the keys of the chosen variant are read: another variant's key is unknown here.
  auto applies = [&](const std::string& key) { return SettingTable::applies(t.row(r, key), variant); };
  ServiceSettings s;
  s.service = service_of(variant);
  s.fencing = t.boolean(r, "fencing");
  s.request_timeout = t.duration(r, "request_timeout");
  s.liveness_bound = t.duration(r, "liveness_bound");
  if (applies("ttl")) s.ttl = t.duration(r, "ttl");
  if (applies("drift_factor")) s.drift_factor = t.number(r, "drift_factor");
  if (applies("persist")) s.persist_sync = t.choice(r, "persist") == "sync";
  if (applies("unsafe_release")) s.unsafe_release = t.boolean(r, "unsafe_release");
  if (applies("validity_check")) s.validity_check_elapsed = t.choice(r, "validity_check") == "elapsed";
  if (applies("session_timeout")) s.session_timeout = t.duration(r, "session_timeout");
  if (applies("watch")) s.watch_parent = t.choice(r, "watch") == "parent";
  if (applies("verify_own_entry")) s.verify_own_entry = t.boolean(r, "verify_own_entry");
  if (applies("protected_create")) s.protected_create = t.boolean(r, "protected_create");
  if (applies("session_ttl")) s.session_ttl = t.duration(r, "session_ttl");
  if (applies("lock_delay")) s.lock_delay = t.duration(r, "lock_delay");
  if (applies("lock_retry")) s.lock_retry = t.duration(r, "lock_retry");
  if (applies("election_timeout")) s.election_timeout = t.duration(r, "election_timeout");
  if (applies("heartbeat_interval")) s.heartbeat_interval = t.duration(r, "heartbeat_interval");
  if (applies("lease_ttl")) s.lease_ttl = t.duration(r, "lease_ttl");
  if (applies("leader_check")) s.leader_check = t.boolean(r, "leader_check");
  if (applies("recipe")) s.consul_recipe = t.choice(r, "recipe") == "consul_session";
  if (s.service == LockService::kRaft && s.heartbeat_interval >= s.election_timeout) {
    r.fail("heartbeat_interval", "expected heartbeat_interval < election_timeout (" +
                                     format_duration(s.election_timeout) + ")");
  }
  return s;
}

WorkloadSettings read_workload(ConfigReader& r, const Cluster& cluster) {
  const SettingTable& t = lock_setting_table();
  WorkloadSettings w;
  w.rounds = t.integer(r, "rounds");
  w.start = t.duration(r, "start");
  w.stagger = t.duration(r, "stagger");
  t.row(r, "starts");  // a map of client names, read here; the row describes it
  ConfigReader starts = r.object("starts");
  for (auto it = starts.json().begin(); it != starts.json().end(); ++it) {
    auto node = cluster.find(it.key());
    if (!node || cluster.role(*node) != "client") starts.fail(it.key(), "expected the name of a client node");
    w.starts[it.key()] = starts.duration(it.key(), Duration::zero());
  }
  starts.finish();
  w.writes = t.integer(r, "writes");
  w.write_time = t.duration(r, "write_time");
  w.write_timeout = t.duration(r, "write_timeout");
  w.think_time = t.duration(r, "think_time");
  w.backoff_min = t.duration(r, "backoff_min");
  w.backoff_max = t.duration(r, "backoff_max");
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
  redlock = redlock || settings.service.service == LockService::kRaft;  // a group of servers too
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

const SettingTable& lock_setting_table() {
  static const ServiceSettings d;  // the defaults
  static const WorkloadSettings w;
  auto duration = [](std::string section, std::string key, Duration fallback, bool positive,
                     std::vector<std::string> variants, std::string meaning) {
    return Setting{.section = std::move(section), .key = std::move(key), .type = Type::kDuration,
                   .fallback = fallback, .positive = positive, .variants = std::move(variants),
                   .meaning = std::move(meaning)};
  };
  auto boolean = [](std::string key, bool fallback, std::vector<std::string> variants, std::string meaning) {
    return Setting{.section = "protocol", .key = std::move(key), .type = Type::kBoolean,
                   .fallback = fallback, .variants = std::move(variants), .meaning = std::move(meaning)};
  };
  auto choice = [](std::string key, std::vector<std::string> choices, std::vector<std::string> variants,
                   std::string meaning) {
    std::string first = choices.front();
    return Setting{.section = "protocol", .key = std::move(key), .type = Type::kChoice,
                   .fallback = first, .choices = std::move(choices), .variants = std::move(variants),
                   .meaning = std::move(meaning)};
  };
  const std::vector<std::string> leases = {"redis", "redlock"};
  static const SettingTable kTable({
      boolean("fencing", d.fencing, {},
              "clients attach their token to every write; the resource refuses older tokens"),
      duration("protocol", "request_timeout", d.request_timeout, true, {},
               "a client's wait for any one reply"),
      duration("protocol", "liveness_bound", d.liveness_bound, false, {},
               "check liveness: allowed on top of recovery, lock delay and the longest hold"),
      duration("protocol", "ttl", d.ttl, true, leases, "the lease (SET NX PX ttl)"),
      Setting{.section = "protocol", .key = "drift_factor", .type = Type::kNumber, .fallback = d.drift_factor,
              .low = 0.0, .high = 0.5, .variants = leases, .unit = "fraction of ttl",
              .meaning = "the client's validity is ttl minus ttl * drift_factor"},
      choice("persist", {"sync", "none"}, leases,
             "sync: a server fsyncs keys and token counter before it answers"),
      boolean("unsafe_release", d.unsafe_release, {"redis"},
              "release is a plain DEL, whoever holds the key now"),
      choice("validity_check", {"elapsed", "none"}, {"redlock"},
             "elapsed: subtract the acquisition's time from the validity (step 3)"),
      duration("protocol", "session_timeout", d.session_timeout, true, {"zookeeper"},
               "a session silent this long expires and its entries go"),
      choice("watch", {"predecessor", "parent"}, {"zookeeper"},
             "parent: the herd, every waiter watches the lock's parent"),
      boolean("verify_own_entry", d.verify_own_entry, {"zookeeper"},
              "after waking, check one's own entry is still there"),
      boolean("protected_create", d.protected_create, {"zookeeper"},
              "tag entries with the owner, to find them after a lost reply"),
      duration("protocol", "session_ttl", d.session_ttl, true, {"consul"},
               "a session not renewed this long is invalidated"),
      duration("protocol", "lock_delay", d.lock_delay, false, {"consul", "raft"},
               "the lock stays taken this long after invalidation"),
      duration("protocol", "lock_retry", d.lock_retry, true, {"consul", "raft"},
               "wait after a refusal during lock delay"),
      duration("protocol", "election_timeout", d.election_timeout, true, {"raft"},
               "Raft: a follower that hears no leader for a time drawn from [this, 2 x this) stands"),
      duration("protocol", "heartbeat_interval", d.heartbeat_interval, true, {"raft"},
               "Raft: the leader's AppendEntries period (< election_timeout)"),
      duration("protocol", "lease_ttl", d.lease_ttl, true, {"raft"},
               "the etcd session's lease, kept alive every ttl/3"),
      boolean("leader_check", d.leader_check, {"raft"},
              "the leader answers reads by read index and keep-alives in its leader lease; "
              "false: a deposed leader answers from its own state"),
      choice("recipe", {"etcd_mutex", "consul_session"}, {"raft"},
             "raft: etcd's mutex (keys by create revision), or Consul's session and lock key "
             "with lock-delay"),
      Setting{.section = "workload", .key = "rounds", .type = Type::kInteger, .fallback = w.rounds,
              .min = 0, .max = 1'000'000'000, .unit = "acquisitions",
              .meaning = "per client incarnation; 0: until the run ends"},
      duration("workload", "start", w.start, false, {}, "when the first client first asks"),
      duration("workload", "stagger", w.stagger, false, {}, "each next client asks this much later"),
      Setting{.section = "workload", .key = "starts", .type = Type::kObject,
              .meaning = "{client name: start time}, overriding start and stagger"},
      Setting{.section = "workload", .key = "writes", .type = Type::kInteger, .fallback = w.writes,
              .min = 0, .max = 1'000'000, .unit = "writes", .meaning = "writes per critical section"},
      duration("workload", "write_time", w.write_time, false, {}, "work before each write"),
      duration("workload", "write_timeout", w.write_timeout, true, {}, "a write's wait for the resource"),
      duration("workload", "think_time", w.think_time, false, {}, "between rounds"),
      duration("workload", "backoff_min", w.backoff_min, true, {}, "retry backoff, first"),
      duration("workload", "backoff_max", w.backoff_max, false, {},
               "retry backoff, largest (>= backoff_min)"),
  });
  return kTable;
}

LockSettings read_lock_settings(ProtocolSettings& s) {
  LockSettings settings;
  settings.service = read_service(s.protocol, s.variant);
  settings.workload = read_workload(s.workload, s.cluster);
  check_roles(s, settings);
  return settings;
}

}  // namespace dsim::locks
