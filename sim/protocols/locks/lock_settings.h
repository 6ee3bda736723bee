// What a lock scenario configures: which lock service (the variant) and its knobs, and
// what the clients do with the lock. Plain data, read and validated once by the family
// (lock_settings_reader.cpp) and copied into every process and checker.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/time.h"
#include "protocols/locks/ap_lock_settings.h"
#include "protocols/locks/replication_settings.h"

namespace dsim::locks {

enum class LockService { kSeed, kRedis, kRedlock, kZookeeper, kConsul,
                         kRedisSentinel, kAp,
                         kRaft };  // kRaft: a Raft group (raft/raft_server.h) with etcd's mutex recipe
const char* to_string(LockService s);

struct ServiceSettings {
  LockService service = LockService::kRedis;
  // The resource rejects writes whose token is below the highest it has seen, and the
  // clients attach their token to every write.
  bool fencing = false;
  // How long a client waits for any single reply before it retries.
  Duration request_timeout = Duration::millis(200);

  // redis, redlock: the lease (SET NX PX ttl).
  Duration ttl = Duration::seconds(1);
  // The client's validity is ttl minus ttl*drift_factor (plus 2 ms for redlock).
  double drift_factor = 0.01;
  // redis, redlock: each server fsyncs its keys and token counter before it answers.
  // Off, a crashed server comes back without whatever it had not synced.
  bool persist_sync = true;
  // redis: release is a plain DEL, whoever holds the key now.
  bool unsafe_release = false;
  // redlock: step 3 of the algorithm, subtracting the time the acquisition took from
  // the validity. Off, a client trusts replies however late it reads them.
  bool validity_check_elapsed = true;

  // zookeeper: sessions, ephemeral sequential entries, watches.
  Duration session_timeout = Duration::seconds(2);
  bool watch_parent = false;     // the herd: every waiter watches the lock's parent
  bool verify_own_entry = true;  // after waking, check one's own entry is still there
  bool protected_create = false; // tag entries with the owner, find them after a lost reply
  // The protected lookup takes an entry with its tag whatever session owns it (the
  // mistake: Curator before CURATOR-498); off, only the current session's entries count.
  bool protected_any_session = false;

  // consul: sessions with a TTL, lock-delay after invalidation, lock index as sequencer.
  Duration session_ttl = Duration::seconds(1);
  Duration lock_delay = Duration::seconds(3);
  Duration lock_retry = Duration::millis(250);  // wait after a refusal during lock-delay

  // redis_sentinel: replicas, sentinels, min-replicas-to-write, WAIT.
  ReplicationSettings replication;
  // ap: members, heartbeats, split-brain protection.
  ApLockSettings ap;
  // raft: the group's timing (Raft paper §5.2, §9.3), the etcd session lease, and the
  // leader's checks before it answers (raft/raft_server.h; off: the stale-leader mistake).
  Duration election_timeout = Duration::millis(150);  // drawn from [this, 2 x this)
  Duration heartbeat_interval = Duration::millis(50);
  Duration lease_ttl = Duration::seconds(1);
  bool leader_check = true;
  // raft: Consul's session and lock key with lock-delay (lock_delay, lock_retry) instead
  // of etcd's mutex.
  bool consul_recipe = false;

  // The liveness check allows recovery_time() + lock_delay + hold_max + this.
  Duration liveness_bound = Duration::seconds(2);
  // The starvation check fails a waiter that waits longer than this for one acquisition.
  Duration starvation_bound = Duration::seconds(10);

  // redis, redlock, redis_sentinel: lease renewal by a client-side watchdog (watchdog.h), every ttl/3.
  bool renew = false;
  // Mistakes of the renewal: stop after the first failed renewal, telling nobody;
  // renew with no regard for the worker or the release (a zombie keep-alive); extend the
  // key whoever holds it (the server does not compare the value). The first also applies
  // to the consul and raft session/lease renewals, the second to raft's; renew_unchecked
  // is refused there at load (lock_settings_reader.cpp).
  bool renew_stop_on_failure = false;
  bool renew_without_worker = false;
  bool renew_unchecked = false;

  // How long the service may keep a dead holder's lock: the lease, the session timeout.
  // Zero for the naive lock, which never lets go.
  Duration recovery_time() const;
  Duration lock_delay_or_zero() const {
    bool consul = service == LockService::kConsul || (service == LockService::kRaft && consul_recipe);
    return consul ? lock_delay : Duration::zero();
  }
};

struct WorkloadSettings {
  int64_t rounds = 0;  // acquisitions per client incarnation; 0: until the run ends
  Duration start = Duration::zero();    // when the first client first asks
  Duration stagger = Duration::zero();  // each next client asks this much later
  std::map<std::string, Duration> starts;  // per client name, overriding the above
  int64_t writes = 3;                      // writes per critical section
  Duration write_time = Duration::millis(100);   // work before each write
  Duration write_timeout = Duration::millis(500);
  Duration think_time = Duration::millis(100);   // between rounds
  Duration backoff_min = Duration::millis(20);
  Duration backoff_max = Duration::millis(500);
  // How long the work goes on after the client learns the lock is lost (real clients
  // take a while to stop what they run under the lock, e.g. a child process).
  Duration stop_delay = Duration::zero();

  // The longest a well-behaved critical section lasts.
  Duration hold_max() const { return (write_time + write_timeout) * writes; }
};

struct LockSettings {
  ServiceSettings service;
  WorkloadSettings workload;
};

}  // namespace dsim::locks
