// The timer kinds of replicated Redis with Sentinel. Their codes start at 1000 so they
// never meet timers.h's LockTimer codes (a Timer compares codes only).
#pragma once

#include <cstdint>
#include <string_view>

namespace dsim::locks {

enum class ReplTimer : uint32_t {
  kSentinelTick = 1000,  // a sentinel's pings, hellos and checks
  kReplTick,             // a replica's periodic REPLCONF ACK
  kWaitTimeout,          // a primary's WAIT gives up
  kExpireKey,            // a primary's key reaches its end
  kClientTimeout,        // the recipe's wait for a reply (arg: request number)
  kClientRetry,          // the recipe's backoff before it asks again
  kMemberHeartbeat,      // an availability-first lock member's heartbeat (ap_lock_server.h)
  kSentinelFailover,     // a sentinel's randomly delayed start of a failover
};

inline std::string_view timer_name(ReplTimer kind) {
  switch (kind) {
    case ReplTimer::kSentinelTick: return "sentinel.tick";
    case ReplTimer::kReplTick: return "repl.tick";
    case ReplTimer::kWaitTimeout: return "repl.wait_timeout";
    case ReplTimer::kExpireKey: return "repl.expire";
    case ReplTimer::kClientTimeout: return "sentinel_client.timeout";
    case ReplTimer::kClientRetry: return "sentinel_client.retry";
    case ReplTimer::kMemberHeartbeat: return "member.heartbeat";
    case ReplTimer::kSentinelFailover: return "sentinel.failover";
  }
  return "?";
}

}  // namespace dsim::locks
