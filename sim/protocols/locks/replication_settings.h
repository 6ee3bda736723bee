// The knobs of replicated Redis with Sentinel (variant redis_sentinel): a primary with
// asynchronous replicas (every node with role "lock"; the first is the first primary)
// and sentinels (role "sentinel") that fail it over. Names follow redis.conf and
// sentinel.conf; defaults are scaled down from Redis's (seconds, not tens of seconds)
// to fit short runs. Read by lock_settings_reader.cpp.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace dsim::locks {

struct ReplicationSettings {
  // Sentinels that must see the primary down before a failover starts (ODOWN); 0: a
  // majority of the sentinels. A failover also needs a majority's votes, as in Sentinel.
  int64_t sentinel_quorum = 0;
  // down-after-milliseconds: a primary silent this long is down to a sentinel (SDOWN).
  Duration down_after = Duration::seconds(1);
  // How often a sentinel pings every instance and greets the other sentinels; also how
  // often a replica acknowledges its offset to its primary.
  Duration sentinel_ping = Duration::millis(100);
  // failover-timeout: after a failover attempt, a sentinel waits this long (plus up to
  // one sentinel_ping at random) before it tries again.
  Duration failover_timeout = Duration::seconds(2);
  // min-replicas-to-write / min-replicas-max-lag: the primary refuses writes
  // (-NOREPLICAS) unless this many replicas acknowledged within the lag. 0: off.
  int64_t min_replicas_to_write = 0;
  Duration min_replicas_max_lag = Duration::seconds(1);
  // WAIT wait_replicas wait_timeout after the SET: the client is told it holds the lock
  // only once that many replicas have the key. 0: off.
  int64_t wait_replicas = 0;
  Duration wait_timeout = Duration::millis(200);
};

// A replicated server's fencing token: the sentinel configuration epoch it was primary
// in, then its grant counter (token = epoch * kEpochTokenStride + counter), so that a
// primary promoted in a later epoch hands out larger tokens than any earlier primary,
// even when the counter's latest increments were never replicated.
inline constexpr int64_t kEpochTokenStride = 1'000'000'000;

}  // namespace dsim::locks
