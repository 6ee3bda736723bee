#include "protocols/locks/lock_settings_reader.h"

namespace dsim::locks {
namespace {

// Why `name` in workload.starts is refused: it is no node, or a node of another role;
// with the run's clients (the first 8), so the user sees what the keys may be.
std::string no_client_problem(const std::string& name, const Cluster& cluster) {
  const std::vector<NodeId>& clients = cluster.with_role("client");
  std::vector<std::string> names;
  for (NodeId id : clients) names.push_back(cluster.name(id));
  std::string list;
  for (size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > 8) list += ", ... (" + std::to_string(names.size()) + " in all)";
  const std::string hint = closest_match(name, names);
  const std::string problem = cluster.find(name) ? "\"" + name + "\" is not a client node"
                                                 : "no client named \"" + name + "\"" +
                                                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)");
  return "expected the name of a client node: " + problem + "; the clients are " +
         (list.empty() ? std::string("none") : list);
}

}  // namespace

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
    case LockService::kRedisSentinel:
      return "redis_sentinel";
    case LockService::kAp:
      return "ap";
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
    case LockService::kRedisSentinel:
    case LockService::kAp:
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
  if (variant == "redis_sentinel") return LockService::kRedisSentinel;
  if (variant == "ap") return LockService::kAp;
  if (variant == "raft") return LockService::kRaft;
  return LockService::kConsul;
}

ReplicationSettings read_replication(ConfigReader& r) {
  const SettingTable& t = lock_setting_table();
  ReplicationSettings s;
  s.sentinel_quorum = t.integer(r, "sentinel_quorum");
  s.down_after = t.duration(r, "down_after");
  s.sentinel_ping = t.duration(r, "sentinel_ping");
  s.failover_timeout = t.duration(r, "failover_timeout");
  s.min_replicas_to_write = t.integer(r, "min_replicas_to_write");
  if (s.min_replicas_to_write > 0) s.min_replicas_max_lag = t.duration(r, "min_replicas_max_lag");
  s.wait_replicas = t.integer(r, "wait_replicas");
  if (s.wait_replicas > 0) s.wait_timeout = t.duration(r, "wait_timeout");
  return s;
}

ApLockSettings read_ap(ConfigReader& r) {
  const SettingTable& t = lock_setting_table();
  ApLockSettings s;
  s.member_heartbeat = t.duration(r, "member_heartbeat");
  s.member_timeout = t.duration(r, "member_timeout");
  s.split_brain_protection = t.integer(r, "split_brain_protection");
  require_order(r, {"member_heartbeat", s.member_heartbeat}, SettingOrder::kBelow,
                {"member_timeout", s.member_timeout}, Blame::kHigh, ", or a member is removed between two greetings");
  return s;
}

ServiceSettings read_service(ConfigReader& r, const std::string& variant, const Cluster& cluster,
                             const std::vector<std::string>& checks) {
  const SettingTable& t = lock_setting_table();
  // A key of another variant or recipe, a renewal mistake without the renewal, a check's
  // bound without its check is refused, saying what it applies to; only the keys that
  // apply are read.
  t.refuse_inapplicable(r, variant, cluster, &checks);
  auto applies = [&](const std::string& key) { return t.applies(r, key, variant, cluster, &checks); };
  ServiceSettings s;
  s.service = service_of(variant);
  s.fencing = t.boolean(r, "fencing");
  s.request_timeout = t.duration(r, "request_timeout");
  if (applies("liveness_bound")) s.liveness_bound = t.duration(r, "liveness_bound");
  if (applies("starvation_bound")) s.starvation_bound = t.duration(r, "starvation_bound");
  if (applies("renew")) s.renew = t.boolean(r, "renew");
  if (applies("renew_stop_on_failure")) s.renew_stop_on_failure = t.boolean(r, "renew_stop_on_failure");
  if (applies("renew_without_worker")) s.renew_without_worker = t.boolean(r, "renew_without_worker");
  if (applies("renew_unchecked")) s.renew_unchecked = t.boolean(r, "renew_unchecked");
  if (applies("ttl")) s.ttl = t.duration(r, "ttl");
  if (applies("drift_factor")) s.drift_factor = t.number(r, "drift_factor");
  if (applies("persist")) s.persist_sync = t.choice(r, "persist") == "sync";
  if (applies("unsafe_release")) s.unsafe_release = t.boolean(r, "unsafe_release");
  if (applies("validity_check")) s.validity_check_elapsed = t.choice(r, "validity_check") == "elapsed";
  if (applies("session_timeout")) s.session_timeout = t.duration(r, "session_timeout");
  if (applies("watch")) s.watch_parent = t.choice(r, "watch") == "parent";
  if (applies("verify_own_entry")) s.verify_own_entry = t.boolean(r, "verify_own_entry");
  if (applies("protected_create")) s.protected_create = t.boolean(r, "protected_create");
  if (applies("protected_any_session")) s.protected_any_session = t.boolean(r, "protected_any_session");
  if (applies("session_ttl")) s.session_ttl = t.duration(r, "session_ttl");
  if (applies("lock_delay")) s.lock_delay = t.duration(r, "lock_delay");
  if (applies("lock_retry")) s.lock_retry = t.duration(r, "lock_retry");
  if (variant == "redis_sentinel") s.replication = read_replication(r);
  if (variant == "ap") s.ap = read_ap(r);
  if (applies("election_timeout")) s.election_timeout = t.duration(r, "election_timeout");
  if (applies("heartbeat_interval")) s.heartbeat_interval = t.duration(r, "heartbeat_interval");
  if (applies("lease_ttl")) s.lease_ttl = t.duration(r, "lease_ttl");
  if (applies("leader_check")) s.leader_check = t.boolean(r, "leader_check");
  if (applies("recipe")) s.consul_recipe = t.choice(r, "recipe") == "consul_session";
  if (s.service == LockService::kRaft) {
    require_order(r, {"heartbeat_interval", s.heartbeat_interval}, SettingOrder::kBelow,
                  {"election_timeout", s.election_timeout}, Blame::kLow);
  }
  return s;
}

WorkloadSettings read_workload(ConfigReader& r, const std::string& variant, const Cluster& cluster,
                               Duration duration) {
  const SettingTable& t = lock_setting_table();
  // The writes' settings without writes are refused, saying so.
  t.refuse_inapplicable(r, variant, cluster);
  WorkloadSettings w;
  w.rounds = t.integer(r, "rounds");
  w.start = t.duration(r, "start");
  // A client that first asks after the run's end never asks: with every client so, the
  // run has no round, and passes every check.
  require_order(r, {"start", w.start}, SettingOrder::kBelow, OrderedSetting::run_duration(duration), Blame::kLow);
  w.stagger = t.duration(r, "stagger");
  t.row(r, "starts");  // a map of client names, read here; the row describes it
  ConfigReader starts = r.object("starts");
  for (auto it = starts.json().begin(); it != starts.json().end(); ++it) {
    // null is the entry left out, as everywhere (README): the client, if any, starts by
    // start and stagger; a name that is no client's is then no error either.
    if (it->is_null()) {
      starts.accept(it.key());
      continue;
    }
    auto node = cluster.find(it.key());
    if (!node || cluster.role(*node) != "client") starts.fail(it.key(), no_client_problem(it.key(), cluster));
    w.starts[it.key()] = starts.duration(it.key(), Duration::zero());
    require_order(starts, {it.key(), w.starts[it.key()]}, SettingOrder::kBelow, OrderedSetting::run_duration(duration),
                  Blame::kLow);
  }
  starts.finish();
  w.writes = t.integer(r, "writes");
  w.write_time = t.duration(r, "write_time");
  w.write_timeout = t.duration(r, "write_timeout");
  w.think_time = t.duration(r, "think_time");
  w.backoff_min = t.duration(r, "backoff_min");
  w.backoff_max = t.duration(r, "backoff_max");
  w.stop_delay = t.duration(r, "stop_delay");
  require_order(r, {"backoff_min", w.backoff_min}, SettingOrder::kAtMost, {"backoff_max", w.backoff_max}, Blame::kHigh);
  return w;
}

// redis_sentinel: a primary and at least one replica (role "lock"), at least one sentinel,
// and replica counts the replicas can meet.
void check_replication_roles(ProtocolSettings& s, const LockSettings& settings) {
  const Cluster& c = s.cluster;
  size_t locks = c.with_role("lock").size();
  size_t sentinels = c.with_role("sentinel").size();
  if (locks < 2) {
    fail_role_count(s.protocol, "lock", "variant redis_sentinel needs at least two nodes with role \"lock\" (a primary and a "
                         "replica); the scenario has " + std::to_string(locks));
  }
  if (sentinels == 0) {
    fail_role_count(s.protocol, "sentinel", "variant redis_sentinel needs at least one node with role \"sentinel\"");
  }
  const ReplicationSettings& r = settings.service.replication;
  if (r.sentinel_quorum > static_cast<int64_t>(sentinels)) {
    s.protocol.fail("sentinel_quorum", "expected at most the number of sentinels (" + std::to_string(sentinels) + ")");
  }
  if (r.min_replicas_to_write > static_cast<int64_t>(locks - 1)) {
    s.protocol.fail("min_replicas_to_write", "expected at most the number of replicas (" + std::to_string(locks - 1) + ")");
  }
  if (r.wait_replicas > static_cast<int64_t>(locks - 1)) {
    s.protocol.fail("wait_replicas", "expected at most the number of replicas (" + std::to_string(locks - 1) + ")");
  }
}

void check_roles(ProtocolSettings& s, const LockSettings& settings) {
  const Cluster& c = s.cluster;
  for (const std::string& role : c.roles()) {
    if (role == "sentinel" && settings.service.service == LockService::kRedisSentinel) continue;
    if (role != "client" && role != "lock" && role != "resource") {
      fail_role_count(s.protocol, role,
                      "the locks protocol knows the roles client, lock and resource; got \"" + role +
                          "\" (name roles in \"nodes\", e.g. {\"lock\": 1, \"client\": 3, \"resource\": 1})");
    }
  }
  size_t locks = c.with_role("lock").size();
  bool redlock = settings.service.service == LockService::kRedlock;
  redlock = redlock || settings.service.service == LockService::kRaft;  // a group of servers too
  if (settings.service.service == LockService::kRedisSentinel) {
    check_replication_roles(s, settings);
  } else if (settings.service.service == LockService::kAp) {
    if (locks != 2) {
      fail_role_count(s.protocol, "lock", "variant ap needs exactly two nodes with role \"lock\" (the owner and its backup); "
                           "the scenario has " + std::to_string(locks));
    }
  } else if (locks == 0 || (!redlock && locks != 1)) {
    fail_role_count(s.protocol, "lock", std::string("variant ") + to_string(settings.service.service) + " needs " +
                         (redlock ? "at least one node" : "exactly one node") +
                         " with role \"lock\"; the scenario has " + std::to_string(locks));
  }
  if (c.with_role("client").empty()) fail_role_count(s.protocol, "client", "expected at least one node with role \"client\"");
  size_t resources = c.with_role("resource").size();
  bool needs_resource = settings.workload.writes > 0 || settings.service.fencing;
  if (resources > 1 || (needs_resource && resources == 0)) {
    fail_role_count(s.protocol, "resource", "expected exactly one node with role \"resource\" (clients write to it" +
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
  const std::vector<std::string> leases = {"redis", "redlock", "redis_sentinel", "ap"};
  // The recipes that hold a LeaseWatchdog (watchdog.h); `ap` has none.
  const std::vector<std::string> renewals = {"redis", "redlock", "redis_sentinel"};
  // The renewal mistakes of the Consul session renewal and the etcd lease keep-alive too
  // (consul; raft: both recipes).
  const std::vector<std::string> renewal_mistakes = {"redis", "redlock", "redis_sentinel", "consul", "raft"};
  // The zombie keep-alive: consul's session renewal (every session_ttl/2, as the Consul
  // API client's RenewPeriodic) is not tied to the worker at all, so there is no tie to
  // leave out.
  const std::vector<std::string> zombie_renewals = {"redis", "redlock", "redis_sentinel", "raft"};
  static const ApLockSettings ad;
  static const ReplicationSettings rd;
  const std::vector<std::string> sentinel = {"redis_sentinel"};
  // Consul's lock key with lock-delay: the consul variant, and raft with that recipe (the
  // etcd mutex has no lock-delay).
  auto consul_lock = [](Setting s) {
    s.when_key = "recipe";
    s.when_values = {"consul_session"};
    return s;
  };
  // A mistake of the watchdog's renewal: with `renew` where the variant has the switch
  // (consul and raft always renew their session or lease, and have no switch).
  auto of_renewal = [](Setting s) {
    s.when_key = "renew";
    s.when_values = {"true"};
    return s;
  };
  // Means nothing while the integer `key` is 0 (write_time with no writes).
  auto nonzero = [](Setting s, std::string key) {
    s.nonzero_key = std::move(key);
    return s;
  };
  // A check's bound: means nothing when the check does not run.
  auto with_check = [](Setting s, std::string check) {
    s.checks = {std::move(check)};
    return s;
  };
  static const SettingTable kTable({
      boolean("fencing", d.fencing, {},
              "clients attach their token to every write; the resource refuses older tokens"),
      as_period(duration("protocol", "request_timeout", d.request_timeout, true, {},
                         "a client's wait for any one reply")),
      with_check(duration("protocol", "liveness_bound", d.liveness_bound, false, {},
                          "check liveness: allowed on top of recovery, lock delay and the longest hold"),
                 "liveness"),
      with_check(duration("protocol", "starvation_bound", d.starvation_bound, true, {},
                          "check starvation: the longest a client may wait for one acquisition"),
                 "starvation"),
      boolean("renew", d.renew, renewals, "a client watchdog extends the lease every ttl/3 while it holds"),
      of_renewal(boolean("renew_stop_on_failure", d.renew_stop_on_failure, renewal_mistakes,
                         "mistake: the first failed renewal stops the watchdog (consul, raft: the session or lease "
                         "keep-alive) for good, and the worker is not told")),
      of_renewal(boolean("renew_without_worker", d.renew_without_worker, zombie_renewals,
                         "mistake: a zombie keep-alive, renewing for a hung worker (redis family: and after release; "
                         "raft: keeps the lease or session alive)")),
      // consul and raft renew a session or lease, which names the session, not the hold:
      // there is no owner check to leave out.
      of_renewal(boolean("renew_unchecked", d.renew_unchecked, renewals,
                         "mistake: the server extends the key whoever holds it")),
      as_period(duration("protocol", "ttl", d.ttl, true, leases, "the lease (SET NX PX ttl)")),
      Setting{.section = "protocol", .key = "drift_factor", .type = Type::kNumber, .fallback = d.drift_factor,
              .low = 0.0, .high = 0.5, .variants = leases, .unit = "fraction of ttl",
              .meaning = "the client's validity is ttl minus ttl * drift_factor"},
      choice("persist", {"sync", "none"}, leases,
             "sync: a server fsyncs keys and token counter before it answers"),
      boolean("unsafe_release", d.unsafe_release, {"redis", "redis_sentinel"},
              "release is a plain DEL, whoever holds the key now"),
      choice("validity_check", {"elapsed", "none"}, {"redlock"},
             "elapsed: subtract the acquisition's time from the validity (step 3)"),
      as_period(duration("protocol", "session_timeout", d.session_timeout, true, {"zookeeper"},
                         "a session silent this long expires and its entries go")),
      choice("watch", {"predecessor", "parent"}, {"zookeeper"},
             "parent: the herd, every waiter watches the lock's parent"),
      boolean("verify_own_entry", d.verify_own_entry, {"zookeeper"},
              "after waking, check one's own entry is still there"),
      boolean("protected_create", d.protected_create, {"zookeeper"},
              "tag entries with the owner, to find them after a lost reply"),
      Setting{.section = "protocol", .key = "protected_any_session", .type = Type::kBoolean,
              .fallback = d.protected_any_session, .variants = {"zookeeper"}, .when_key = "protected_create",
              .when_values = {"true"},
              .meaning = "mistake: the protected lookup takes a tagged entry of any session, not only the current one"},
      as_period(duration("protocol", "session_ttl", d.session_ttl, true, {"consul"},
                         "a session not renewed this long is invalidated")),
      consul_lock(duration("protocol", "lock_delay", d.lock_delay, false, {"consul", "raft"},
                           "the lock stays taken this long after invalidation")),
      consul_lock(as_period(duration("protocol", "lock_retry", d.lock_retry, true, {"consul", "raft"},
                                     "wait after a refusal during lock delay"))),
      Setting{.section = "protocol", .key = "sentinel_quorum", .type = Type::kInteger, .fallback = rd.sentinel_quorum,
              .min = 0, .max = 1000, .variants = sentinel, .unit = "sentinels",
              .meaning = "sentinels that must see the primary down (ODOWN); 0: a majority"},
      duration("protocol", "down_after", rd.down_after, true, sentinel,
               "down-after-milliseconds: a primary silent this long is down to a sentinel (SDOWN)"),
      as_period(duration("protocol", "sentinel_ping", rd.sentinel_ping, true, sentinel,
                         "a sentinel's ping period; also a replica's acknowledgement period")),
      duration("protocol", "failover_timeout", rd.failover_timeout, true, sentinel,
               "a sentinel's wait before it tries a failover again"),
      Setting{.section = "protocol", .key = "min_replicas_to_write", .type = Type::kInteger,
              .fallback = rd.min_replicas_to_write, .min = 0, .max = 1000, .variants = sentinel, .unit = "replicas",
              .meaning = "the primary refuses writes unless this many replicas acknowledged within the lag; 0: off"},
      nonzero(duration("protocol", "min_replicas_max_lag", rd.min_replicas_max_lag, true, sentinel,
                       "min-replicas-max-lag: how recent a replica's acknowledgement must be"),
              "min_replicas_to_write"),
      Setting{.section = "protocol", .key = "wait_replicas", .type = Type::kInteger, .fallback = rd.wait_replicas,
              .min = 0, .max = 1000, .variants = sentinel, .unit = "replicas",
              .meaning = "WAIT: the client holds the lock only once this many replicas have the key; 0: off"},
      nonzero(duration("protocol", "wait_timeout", rd.wait_timeout, true, sentinel,
                       "WAIT's timeout: fewer replicas by then and the client lets the key go"),
              "wait_replicas"),
      as_period(duration("protocol", "member_heartbeat", ad.member_heartbeat, true, {"ap"},
                         "how often the two members greet each other (the owner's greeting carries the lock)")),
      duration("protocol", "member_timeout", ad.member_timeout, true, {"ap"},
               "a member not heard from this long is removed; a lone backup takes the lock over"),
      Setting{.section = "protocol", .key = "split_brain_protection", .type = Type::kInteger,
              .fallback = ad.split_brain_protection, .min = 0, .max = 2, .variants = {"ap"}, .unit = "members",
              .meaning = "the owner serves only while this many members are in its cluster; 0 or 1: off"},
      as_period(duration("protocol", "election_timeout", d.election_timeout, true, {"raft"},
                         "Raft: a follower that hears no leader for a time drawn from [this, 2 x this) stands")),
      as_period(duration("protocol", "heartbeat_interval", d.heartbeat_interval, true, {"raft"},
                         "Raft: the leader's AppendEntries period (< election_timeout)")),
      as_period(duration("protocol", "lease_ttl", d.lease_ttl, true, {"raft"},
                         "the etcd session's lease, kept alive every ttl/3")),
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
      nonzero(duration("workload", "write_time", w.write_time, false, {}, "work before each write"), "writes"),
      nonzero(duration("workload", "write_timeout", w.write_timeout, true, {}, "a write's wait for the resource"),
              "writes"),
      duration("workload", "think_time", w.think_time, false, {}, "between rounds"),
      as_period(duration("workload", "backoff_min", w.backoff_min, true, {}, "retry backoff, first")),
      duration("workload", "backoff_max", w.backoff_max, false, {},
               "retry backoff, largest (>= backoff_min)"),
      nonzero(duration("workload", "stop_delay", w.stop_delay, false, {},
                       "how long work (the writes) goes on after the client learns the lock is lost"),
              "writes"),
  });
  return kTable;
}

const std::vector<RoleRow>& lock_role_table() {
  static const std::vector<RoleRow> kRoles = {
      {.role = "client", .meaning = "asks for the lock, holds it, writes to the resource"},
      {.role = "lock", .meaning = "the lock service's server(s); redis_sentinel: a primary and its replicas"},
      {.role = "resource", .meaning = "the storage clients write to under the lock (fencing checks tokens)"},
      {.role = "sentinel", .variants = {"redis_sentinel"}, .meaning = "Redis Sentinel: watches the primary"},
  };
  return kRoles;
}

LockSettings read_lock_settings(ProtocolSettings& s) {
  LockSettings settings;
  settings.service = read_service(s.protocol, s.variant, s.cluster, s.checks);
  settings.workload = read_workload(s.workload, s.variant, s.cluster, s.duration);
  check_roles(s, settings);
  return settings;
}

}  // namespace dsim::locks
