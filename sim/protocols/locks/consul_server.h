// A Consul-like server reduced to one lock key: sessions with a TTL (renewed by the
// client, invalidated after `session_ttl` without a renewal, by the server's monotonic
// timers); acquire/release of the key by a session; a lock-delay after a holder's
// session is invalidated, during which nobody may acquire; blocking queries that answer
// when the key changes. The key's LockIndex (+1 per acquisition) is the sequencer.
//
// Sessions and the key are synced before the server answers; the lock-delay lives in
// memory only, as on a Consul leader, so a restart forgets it.
//
// Trace events: session_created, session_invalidated, grant (token = lock index; marked
// restored when announced after a restart), freed
// (release_id = the key's modify index after the change), lock_delay_start,
// lock_delay_end.
#pragma once

#include <map>
#include <vector>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

class ConsulServer final : public Process {
 public:
  explicit ConsulServer(const ServiceSettings& settings) : s_(settings) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

 private:
  struct Key {
    int64_t session = 0;  // the holder's session; 0: free
    std::string owner;
    NodeId client = kNoNode;
    int64_t lock_index = 0;
    int64_t modify_index = 0;
  };
  struct Waiter {
    NodeId client;
    int64_t req;
  };

  void persist(Context& ctx);
  void arm_session(Context& ctx, int64_t id);
  void acquire(Context& ctx, NodeId from, const ConsulAcquire& a);
  // `by`: the owner that asked for the release, if a client did (by_client set).
  void free_key(Context& ctx, const char* cause, const std::string& by = std::string(),
                NodeId by_client = kNoNode);
  void invalidate(Context& ctx, int64_t id);
  void answer_waiters(Context& ctx);
  // The key's state, as a blocking query's answer.
  KeyChanged key_state(int64_t req) const;

  ServiceSettings s_;
  int64_t next_session_ = 1;
  std::map<int64_t, NodeId> sessions_;  // id -> client
  Key key_;
  std::map<int64_t, TimerId> session_timers_;
  bool lock_delay_ = false;
  TimerId lock_delay_timer_ = 0;
  std::vector<Waiter> waiters_;
};

}  // namespace dsim::locks
