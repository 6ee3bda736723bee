// The state machine every Raft server applies committed entries to: a tiny etcd — one
// lock prefix whose keys are the waiters' OwnerId strings, each with its create revision
// (etcd's mod revision counter: every put and delete adds one) and the lease it is
// attached to; leases with their TTL and keys. The lock belongs to the key with the
// lowest create revision (etcd client/v3/concurrency Mutex), and that revision is the
// fencing token.
//
// Lease expiry is not replicated state: the leader keeps the deadlines in memory and,
// when one passes, proposes a revoke (etcd's lessor); see raft_server.h.
//
// Whenever the owner changes the machine traces the family's "freed" and "grant" events
// (events.h), which the exclusion and token checks read — but only when `announce`: the
// first server anywhere to apply the entry (FirstApplied) says what it did, once; the
// others, and a restarted server replaying its log, apply silently.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/process.h"
#include "protocols/locks/raft/raft_types.h"

namespace dsim::locks::raft {

// Which log indices some server of the group has applied already. Kept by the run, not
// by any server (an observer's record, like the trace itself): it decides only which
// server traces the lock's grant and freed events, never what a server does. The first
// application of an index is when its effect on the lock becomes true (the leader that
// commits an entry applies it at once, before any follower can learn of the commit).
struct FirstApplied {
  int64_t through = 0;
};

struct ApplyResult {
  bool ok = true;            // kPut: false when the lease is gone
  int64_t lease = 0;         // kLeaseGrant: the new lease's id
  int64_t create_rev = 0;    // kPut: the key's create revision
  int64_t owner_rev = 0;     // kPut: the owner key's create revision
  std::vector<std::pair<std::string, int64_t>> deleted;  // keys deleted, with the revision
  bool held = false;         // kLockAcquire refused: another session holds the lock
};

class LockStateMachine {
 public:
  ApplyResult apply(Context& ctx, int64_t index, const Entry& e, bool announce);

  bool has_lease(int64_t lease) const { return leases_.count(lease) != 0; }
  int64_t lease_ttl_ns(int64_t lease) const;
  std::vector<int64_t> lease_ids() const;
  bool exists(const std::string& key) const { return by_key_.count(key) != 0; }
  // The key with the highest create revision below `rev`, or nullptr.
  const std::string* prev_below(int64_t rev, int64_t* prev_rev) const;
  int64_t revision() const { return revision_; }
  // Consul: a lock whose session is invalidated stays taken for `d` (lock-delay), by
  // each server's own clock from when it applies the invalidation. Consul checks it in
  // the endpoint, before proposing an acquire, never in the state machine: replicas
  // applying at different times must not decide differently.
  void set_lock_delay(Duration d) { lock_delay_ = d; }
  bool in_lock_delay(Instant now) const { return now < delay_until_; }

 private:
  struct Key {
    std::string owner;
    std::string client;
    int64_t lease = 0;
  };
  struct Lease {
    int64_t ttl_ns = 0;
    std::set<std::string> keys;
  };
  // Deletes `key`; traces the owner change it makes.
  void erase(Context& ctx, const std::string& key, const char* cause, bool announce, ApplyResult& r);
  // Traces a grant when the lowest key is not the one it was.
  void announce_owner(Context& ctx, bool announce);

  int64_t revision_ = 0;
  std::map<int64_t, Key> keys_;                // by create revision
  std::map<std::string, int64_t> by_key_;      // key -> create revision
  std::map<int64_t, Lease> leases_;            // by lease id
  int64_t owner_rev_ = 0;                      // the owner key's create revision; 0: none
  // Consul's lock key: the holding session (0: free), its owner, and the LockIndex.
  struct ConsulLock {
    int64_t session = 0;
    std::string owner;
    std::string client;
    int64_t index = 0;
  };
  ConsulLock lock_;
  int64_t lock_index_ = 0;
  Duration lock_delay_ = Duration::zero();
  Instant delay_until_ = Instant::zero();
};

}  // namespace dsim::locks::raft
