// The messages of the Raft lock service: the Raft RPCs between servers (paper Figure 2)
// and the client API in etcd's terms (lease grant and keep-alive, a put-if-absent of the
// waiter's key, a read of the key just below it, a watch for that key's deletion, a
// delete). Every client request carries a `req` its answer echoes; a server that is not
// the leader answers NotLeader with the leader it knows (-1: none).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "protocols/locks/raft/raft_types.h"

namespace dsim::locks::raft {

// ---- Raft RPCs.
struct RequestVote {
  static constexpr std::string_view kName = "request_vote";
  int64_t term = 0;
  int64_t last_index = 0;
  int64_t last_term = 0;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["last_index"] = last_index;
    out["last_term"] = last_term;
  }
};

struct VoteReply {
  static constexpr std::string_view kName = "vote_reply";
  int64_t term = 0;
  bool granted = false;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["granted"] = granted;
  }
};

// `seq` numbers the leader's broadcasts, `sent_ns` is the leader's clock when it sent
// this one: the reply echoes both, which is how the leader confirms a read index and
// measures its leader lease (thesis §6.4).
struct AppendEntries {
  static constexpr std::string_view kName = "append_entries";
  int64_t term = 0;
  int64_t prev_index = 0;
  int64_t prev_term = 0;
  int64_t commit = 0;
  int64_t seq = 0;
  int64_t sent_ns = 0;
  std::vector<Entry> entries{};
  void write_fields(Json& out) const {
    out["term"] = term;
    out["prev_index"] = prev_index;
    out["prev_term"] = prev_term;
    out["commit"] = commit;
    out["entries"] = entries.size();
    out["seq"] = seq;
  }
};

// `match`: on success the last index now known to match the leader's; on failure the
// follower's last index (the leader backs nextIndex up to it).
struct AppendReply {
  static constexpr std::string_view kName = "append_reply";
  int64_t term = 0;
  bool success = false;
  int64_t match = 0;
  int64_t seq = 0;
  int64_t sent_ns = 0;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["success"] = success;
    out["match"] = match;
    out["seq"] = seq;
  }
};

// ---- Client API.
struct NotLeader {
  static constexpr std::string_view kName = "not_leader";
  int64_t req = 0;
  int64_t leader = -1;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["leader"] = leader;
  }
};

struct LeaseGrantRequest {
  static constexpr std::string_view kName = "lease_grant";
  int64_t req = 0;
  int64_t ttl_ns = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["ttl_ns"] = ttl_ns;
  }
};

struct LeaseGranted {
  static constexpr std::string_view kName = "lease_granted";
  int64_t req = 0;
  int64_t lease = 0;
  int64_t ttl_ns = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["lease"] = lease;
    out["ttl_ns"] = ttl_ns;
  }
};

struct KeepAlive {
  static constexpr std::string_view kName = "keep_alive";
  int64_t req = 0;
  int64_t lease = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["lease"] = lease;
  }
};

// `ttl_ns` 0: the lease is gone (revoked or never known).
struct KeepAliveReply {
  static constexpr std::string_view kName = "keep_alive_reply";
  int64_t req = 0;
  int64_t lease = 0;
  int64_t ttl_ns = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["lease"] = lease;
    out["ttl_ns"] = ttl_ns;
  }
};

// etcd Mutex's first step: a transaction that puts the waiter's key with its lease if
// the key does not exist (else keeps it), and reads the lock's owner (the key with the
// lowest create revision).
struct PutKey {
  static constexpr std::string_view kName = "put_key";
  int64_t req = 0;
  std::string key{};
  int64_t lease = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["key"] = key;
    out["lease"] = lease;
  }
};

// `ok` false: the lease is gone. `create_rev`: the key's create revision (its place in
// line and the fencing token); `owner_rev`: the owner key's.
struct PutResult {
  static constexpr std::string_view kName = "put_result";
  int64_t req = 0;
  bool ok = false;
  int64_t create_rev = 0;
  int64_t owner_rev = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["ok"] = ok;
    out["create_rev"] = create_rev;
    out["owner_rev"] = owner_rev;
  }
};

// A linearizable range read (read index, thesis §6.4): does `key` still exist, and which
// key has the highest create revision below `below_rev` (etcd's WithLastCreate and
// WithMaxCreateRev(myRev-1))?
struct WaitCheck {
  static constexpr std::string_view kName = "wait_check";
  int64_t req = 0;
  std::string key{};
  int64_t below_rev = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["key"] = key;
    out["below_rev"] = below_rev;
  }
};

// `prev_key` empty: no key below; the waiter's turn has come (if `exists`).
struct WaitCheckResult {
  static constexpr std::string_view kName = "wait_check_result";
  int64_t req = 0;
  bool exists = false;
  std::string prev_key{};
  int64_t prev_rev = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["exists"] = exists;
    if (!prev_key.empty()) {
      out["prev_key"] = prev_key;
      out["prev_rev"] = prev_rev;
    }
  }
};

// Tell me when `key` is deleted (at once if it is already gone).
struct WatchKey {
  static constexpr std::string_view kName = "watch_key";
  int64_t req = 0;
  std::string key{};
  void write_fields(Json& out) const {
    out["req"] = req;
    out["key"] = key;
  }
};

struct KeyDeleted {
  static constexpr std::string_view kName = "key_deleted";
  int64_t req = 0;
  int64_t revision = 0;  // the revision that deleted it; 0: was already gone
  void write_fields(Json& out) const {
    out["req"] = req;
    out["revision"] = revision;
  }
};

struct DeleteKey {
  static constexpr std::string_view kName = "delete_key";
  int64_t req = 0;
  std::string key{};
  void write_fields(Json& out) const {
    out["req"] = req;
    out["key"] = key;
  }
};

struct KeyDeleteDone {
  static constexpr std::string_view kName = "delete_done";
  int64_t req = 0;
  void write_fields(Json& out) const { out["req"] = req; }
};

// ---- Consul's lock on the same group: the session is a lease (granted and kept alive as
// above); the lock key is acquired and released by session. `lock_index` is Consul's
// LockIndex, the fencing token. Refused: `held` (another session has it) or `in_delay`
// (the lock-delay after an invalidated session; the leader refuses without proposing).
struct LockAcquire {
  static constexpr std::string_view kName = "lock_acquire";
  int64_t req = 0;
  std::string owner{};
  int64_t session = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["owner"] = owner;
    out["session"] = session;
  }
};

struct LockAcquireResult {
  static constexpr std::string_view kName = "lock_acquire_result";
  int64_t req = 0;
  bool ok = false;
  bool held = false;
  bool in_delay = false;
  int64_t lock_index = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["ok"] = ok;
    if (held) out["held"] = true;
    if (in_delay) out["in_delay"] = true;
    if (ok) out["lock_index"] = lock_index;
  }
};

struct LockRelease {
  static constexpr std::string_view kName = "lock_release";
  int64_t req = 0;
  std::string owner{};
  int64_t session = 0;
  void write_fields(Json& out) const {
    out["req"] = req;
    out["owner"] = owner;
    out["session"] = session;
  }
};

struct LockReleased {
  static constexpr std::string_view kName = "lock_released";
  int64_t req = 0;
  void write_fields(Json& out) const { out["req"] = req; }
};

}  // namespace dsim::locks::raft
