// The lock's history as the servers made it: who was granted the lock, when, in what
// order, with what token. Built from the lock servers' "grant" and "freed" trace events
// and their crashes. With one server, each grant is a lock grant; with Redlock's N
// servers, an owner holds the lock from the moment a majority (`quorum`) of servers
// hold its key — the grant order the checkers judge by, whatever the clients believed.
//
// A server that restarts announces what it recovered from disk ("grant" with
// "restored": true); that renews an owner's hold without making a new grant. An owner
// whose hold lapsed (freed, or lost with a crashed server's memory) and is granted again
// gets a new, later grant.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check/checker.h"
#include "protocols/locks/checks/lock_servers.h"
#include "protocols/locks/events.h"

namespace dsim::locks {

struct LockGrant {
  std::string owner;
  std::string client;
  Instant at;                    // global time the quorum-th server granted
  int64_t order = 0;             // 0, 1, 2, ... in grant order
  std::optional<int64_t> token;  // the largest token among the granting servers
  bool same_session = false;     // Consul: the holding session took it again (same sequencer)
};

class GrantLedger {
 public:
  explicit GrantLedger(size_t quorum) : quorum_(quorum) {}

  // Feed every observation. Returns the lock grant this one completed, if any.
  const LockGrant* observe(const Observation& o, const Cluster& cluster);

  // The owner's latest grant.
  const LockGrant* find(std::string_view owner) const;
  const LockGrant* latest() const { return grants_.empty() ? nullptr : &grants_.back(); }
  size_t size() const { return grants_.size(); }

 private:
  struct Holds {
    std::set<NodeId> servers;  // servers holding the owner's key now
    std::optional<int64_t> token;
    bool granted = false;      // a majority holds it
  };
  const LockGrant* on_grant(const Observation& o, const events::Grant& grant);
  // Forgets that `server` holds `owner`'s key.
  void drop(NodeId server, const std::string& owner);

  size_t quorum_;
  LockServers lock_servers_;
  std::map<std::string, Holds, std::less<>> holds_;
  std::map<NodeId, std::set<std::string, std::less<>>> held_at_;  // by server
  std::map<std::string, size_t, std::less<>> latest_by_owner_;
  std::vector<LockGrant> grants_;
};

}  // namespace dsim::locks
