// The Raft lock service's timers (servers and the etcd-mutex recipe). The codes start at
// 1000 so that they never meet the family's LockTimer codes: a client hands its timers to
// its recipe first, and Timer::is compares codes only.
#pragma once

#include <cstdint>
#include <string_view>

namespace dsim::locks::raft {

enum class RaftTimer : uint32_t {
  // Server.
  kElection = 1000,  // randomized election timeout (paper §5.2)
  kHeartbeat,        // leader: AppendEntries to every follower; lease expiry sweep
  // Recipe (client).
  kRequestTimeout,   // no answer to the request in flight: try the next server
  kRetry,            // after a "not leader": ask again
  kKeepAlive,        // renew the session's lease
  kWatchTimeout,     // a watch unanswered this long: look again
};

inline std::string_view timer_name(RaftTimer kind) {
  switch (kind) {
    case RaftTimer::kElection: return "raft.election";
    case RaftTimer::kHeartbeat: return "raft.heartbeat";
    case RaftTimer::kRequestTimeout: return "etcd.request_timeout";
    case RaftTimer::kRetry: return "etcd.retry";
    case RaftTimer::kKeepAlive: return "etcd.keep_alive";
    case RaftTimer::kWatchTimeout: return "etcd.watch_timeout";
  }
  return "?";
}

}  // namespace dsim::locks::raft
