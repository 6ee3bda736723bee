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
//
// One run's checks share one ledger (SharedGrantLedger below): exclusion and token_order
// both read it.
#pragma once

#include <map>
#include <memory>
#include <optional>
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
  // The grant of that order (0 <= order < size()).
  const LockGrant& grant(int64_t order) const { return grants_[static_cast<size_t>(order)]; }
  size_t size() const { return grants_.size(); }

 private:
  // An owner's key as the servers hold it now: a few of these at most (a server holds
  // one key at a time), so a vector, searched from the front.
  struct Holds {
    std::string owner;
    std::vector<NodeId> servers;  // servers holding the owner's key now, in grant order
    std::optional<int64_t> token;
    bool granted = false;         // a majority holds it
  };
  const LockGrant* on_grant(const Observation& o, const events::Grant& grant);
  // Forgets that `server` holds the key of holds_[i]; returns false when it did not.
  bool drop(size_t i, NodeId server);

  size_t quorum_;
  LockServers lock_servers_;
  std::vector<Holds> holds_;
  std::map<std::string, size_t, std::less<>> latest_by_owner_;
  std::vector<LockGrant> grants_;
};

// The run's one GrantLedger, brought up to each observation once, by whichever of the
// checks that read it sees the observation first (Observation::seq orders them).
class SharedGrantLedger {
 public:
  explicit SharedGrantLedger(size_t quorum) : ledger_(quorum) {}
  // As GrantLedger::observe: the lock grant this observation completed, if any.
  const LockGrant* observe(const Observation& o, const Cluster& cluster) {
    if (o.seq >= next_seq_) {
      last_ = ledger_.observe(o, cluster);
      next_seq_ = o.seq + 1;
    }
    return last_;
  }
  const GrantLedger& ledger() const { return ledger_; }

 private:
  GrantLedger ledger_;
  const LockGrant* last_ = nullptr;
  uint64_t next_seq_ = 0;  // the first observation not yet applied
};

}  // namespace dsim::locks
