// The locks family's timer kinds. timer_name() gives the name the trace shows as a
// timer's "kind" (the names these timers had before they were typed).
#pragma once

#include <cstdint>
#include <string_view>

namespace dsim::locks {

enum class LockTimer : uint32_t {
  // Lease recipe (naive lock, Redis).
  kLeaseTimeout,
  kLeaseRetry,
  // Redlock recipe.
  kRedlockTimeout,
  kRedlockRetry,
  // Redis server.
  kExpire,
  // ZooKeeper recipe and server.
  kZkPing,
  kZkRequest,
  kZkDeleteRetry,
  kSessionExpiry,
  // Consul recipe and server.
  kConsulRenew,
  kConsulSessionTimeout,
  kConsulAcquireTimeout,
  kConsulWatchTimeout,
  kConsulRetry,
  kConsulReleaseRetry,
  kSessionTtl,
  kLockDelayEnd,
  // Lock client.
  kClientNextRound,
  kClientWork,
  kClientWriteTimeout,
  // Lease renewal (watchdog.h) and the client's stop after a loss (stop_delay).
  kLeaseRenew,
  kClientStop,
};

inline std::string_view timer_name(LockTimer kind) {
  switch (kind) {
    case LockTimer::kLeaseTimeout: return "lease.timeout";
    case LockTimer::kLeaseRetry: return "lease.retry";
    case LockTimer::kRedlockTimeout: return "redlock.timeout";
    case LockTimer::kRedlockRetry: return "redlock.retry";
    case LockTimer::kExpire: return "expire";
    case LockTimer::kZkPing: return "zk.ping";
    case LockTimer::kZkRequest: return "zk.request";
    case LockTimer::kZkDeleteRetry: return "zk.delete_retry";
    case LockTimer::kSessionExpiry: return "session_expiry";
    case LockTimer::kConsulRenew: return "consul.renew";
    case LockTimer::kConsulSessionTimeout: return "consul.session_timeout";
    case LockTimer::kConsulAcquireTimeout: return "consul.acquire_timeout";
    case LockTimer::kConsulWatchTimeout: return "consul.watch_timeout";
    case LockTimer::kConsulRetry: return "consul.retry";
    case LockTimer::kConsulReleaseRetry: return "consul.release_retry";
    case LockTimer::kSessionTtl: return "session_ttl";
    case LockTimer::kLockDelayEnd: return "lock_delay_end";
    case LockTimer::kClientNextRound: return "client.next_round";
    case LockTimer::kClientWork: return "client.work";
    case LockTimer::kClientWriteTimeout: return "client.write_timeout";
    case LockTimer::kLeaseRenew: return "lease.renew";
    case LockTimer::kClientStop: return "client.stop";
  }
  return "?";
}

}  // namespace dsim::locks
