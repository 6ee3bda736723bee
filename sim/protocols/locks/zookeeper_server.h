// A ZooKeeper-like coordination server reduced to what the lock recipe touches: sessions
// kept alive by pings (expiring after `session_timeout` of silence, timed by the
// server's monotonic timers), one parent with ephemeral sequential entries, one-shot
// watches on an entry (exists) or on the parent's list of children. Everything but the
// watches is synced to disk before the server answers, so sequence numbers keep growing
// across a restart; after one, every session gets a full timeout again (as after a
// leader change) and clients re-register their watches (they see a new epoch in pongs).
//
// Watches belong to the client's connection, not its session: a watch outlives the
// session that set it, as an etcd watch outlives a lease. Notifications are numbered per
// client and every pong says how many were sent, so a client notices one the network
// lost (as a TCP connection would) and looks again.
//
// Trace events: session_opened, session_expired, entry_created, entry_deleted, grant
// (an entry became the lowest: the lock passed to its owner; token = its sequence
// number; marked restored when announced after a restart), freed (the lowest entry
// went away).
#pragma once

#include <map>
#include <set>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

class ZookeeperServer final : public Process {
 public:
  explicit ZookeeperServer(const ServiceSettings& settings) : s_(settings) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

 private:
  struct Entry {
    int64_t session;
    std::string owner;
    std::string tag;
    NodeId client;
  };
  struct Session {
    NodeId client;
    int64_t last_create_req = -1;  // answers a duplicated create with the same entry
    int64_t last_create_seq = 0;
  };

  void persist(Context& ctx);
  void load(Context& ctx);
  void arm_session(Context& ctx, int64_t id);
  void expire_session(Context& ctx, int64_t id, const char* cause);
  void create(Context& ctx, NodeId from, const Create& c);
  // `by`: the owner that asked for the deletion, if a client did (by_client set).
  void remove_entry(Context& ctx, int64_t seq, const char* cause, const std::string& by = std::string(),
                    NodeId by_client = kNoNode);
  void notify_parent_watchers(Context& ctx, const ChildrenChanged& change);
  // Sends a watch notification, numbered for its client.
  template <typename Notice>
  void notify(Context& ctx, NodeId client, Notice notice);
  // `restored`: at start, announcing the holder recovered from disk.
  void update_head(Context& ctx, bool restored = false);

  ServiceSettings s_;
  int64_t next_seq_ = 1;
  int64_t next_session_ = 1;
  std::map<int64_t, Session> sessions_;
  std::map<int64_t, Entry> entries_;  // by sequence number: begin() is the lock holder
  int64_t head_ = 0;
  std::map<int64_t, TimerId> session_timers_;
  std::map<int64_t, std::set<NodeId>> entry_watchers_;
  std::set<NodeId> parent_watchers_;
  std::map<NodeId, int64_t> notified_;  // notifications sent, per client
};

}  // namespace dsim::locks
