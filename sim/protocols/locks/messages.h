// The messages of the locks family, one struct each (core/payload.h): kName is the
// name the trace shows as "msg", write_fields writes the "body" keys in the order the
// trace lists them. Receivers dispatch with Message::as<T>(), never on the name.
//
// Several services use the same name for different requests ("acquire", "release"):
// each has its own struct, so a Redis server never mistakes a Consul request for one
// of its own. `owner` is the OwnerId string (owner_id.h), which for short client
// names stays inside std::string's own 15 bytes; every struct but Consul's
// `AcquireResult` is held inline (`Children`'s entries are a vector of their own).
//
// Optional keys (a grant's token, a notification's release id) are std::optional, or a
// flag where that keeps the struct within the 56 inline bytes, and are written only when
// set, exactly as the servers wrote them when these were JSON bodies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"

namespace dsim::locks {

// ---- Single-key lock servers: the naive lock (seed_server.h) and Redis (redis_server.h).

// SET key owner NX PX ttl. The Redlock recipe numbers no requests (no `req`); the
// naive lock has no lease (no `ttl_ns`). Flags, not std::optional, keep it inline.
struct AcquireRequest {
  static constexpr std::string_view kName = "acquire";
  std::string owner{};
  int64_t req = 0;
  int64_t ttl_ns = 0;
  bool has_req = false;
  bool has_ttl = false;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    if (has_req) out["req"] = req;
    if (has_ttl) out["ttl_ns"] = ttl_ns;
  }
};

// Granted; `req` echoes the request's (0 when it had none). The token is there when the
// server counts grants (Redis always; the naive lock with fencing on).
struct AcquireOk {
  static constexpr std::string_view kName = "acquire_ok";
  std::string owner{};
  int64_t req = 0;
  std::optional<int64_t> token{};
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
    if (token) out["token"] = *token;
  }
};

struct AcquireBusy {
  static constexpr std::string_view kName = "acquire_busy";
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
  }
};

struct ReleaseRequest {
  static constexpr std::string_view kName = "release";
  std::string owner{};
  void write_fields(Json& out) const { out["owner"] = owner; }
};

struct ReleaseOk {
  static constexpr std::string_view kName = "release_ok";
  std::string owner{};
  void write_fields(Json& out) const { out["owner"] = owner; }
};

struct ReleaseRefused {
  static constexpr std::string_view kName = "release_refused";
  std::string owner{};
  void write_fields(Json& out) const { out["owner"] = owner; }
};

// ---- The resource (resource_server.h).

// Write number `n` of a hold, with the hold's token when fencing is on.
struct WriteRequest {
  static constexpr std::string_view kName = "write";
  std::string owner{};
  int64_t n = 0;
  std::optional<int64_t> token{};
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["n"] = n;
    if (token) out["token"] = *token;
  }
};

struct WriteOk {
  static constexpr std::string_view kName = "write_ok";
  std::string owner{};
  int64_t n = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["n"] = n;
  }
};

struct WriteRejected {
  static constexpr std::string_view kName = "write_rejected";
  std::string owner{};
  int64_t n = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["n"] = n;
  }
};

// ---- ZooKeeper (zookeeper_server.h, zookeeper_recipe.h). A request the recipe waits
// for carries `req`, which its answer echoes.

struct OpenSession {
  static constexpr std::string_view kName = "open_session";
  int64_t req = 0;
  void write_fields(Json& out) const { out["req"] = req; }
};

struct SessionOpened {
  static constexpr std::string_view kName = "session_opened";
  int64_t session = 0;
  uint32_t epoch = 0;  // the server's incarnation
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["epoch"] = epoch;
    out["req"] = req;
  }
};

struct Ping {
  static constexpr std::string_view kName = "ping";
  int64_t session = 0;
  void write_fields(Json& out) const { out["session"] = session; }
};

struct Pong {
  static constexpr std::string_view kName = "pong";
  int64_t session = 0;
  uint32_t epoch = 0;
  int64_t notified = 0;  // notifications sent to this client so far
  void write_fields(Json& out) const {
    out["session"] = session;
    out["epoch"] = epoch;
    out["notified"] = notified;
  }
};

// The session is unknown: the answer to a create (with its `req`) or to a ping.
struct SessionExpired {
  static constexpr std::string_view kName = "session_expired";
  int64_t session = 0;
  std::optional<int64_t> req{};
  void write_fields(Json& out) const {
    out["session"] = session;
    if (req) out["req"] = *req;
  }
};

// An ephemeral sequential entry. A protected create tags it with the owner (the trace
// shows "tag": the owner, else "").
struct Create {
  static constexpr std::string_view kName = "create";
  int64_t session = 0;
  std::string owner{};
  bool tagged = false;
  int64_t req = 0;
  std::string_view tag() const { return tagged ? std::string_view(owner) : std::string_view(); }
  void write_fields(Json& out) const {
    out["session"] = session;
    out["owner"] = owner;
    out["tag"] = tagged ? owner : std::string();
    out["req"] = req;
  }
};

struct Created {
  static constexpr std::string_view kName = "created";
  int64_t seq = 0;
  std::string owner{};
  int64_t session = 0;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["owner"] = owner;
    out["session"] = session;
    out["req"] = req;
  }
};

struct List {
  static constexpr std::string_view kName = "list";
  int64_t session = 0;
  bool watch = false;  // also watch the parent's list of children
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["watch"] = watch;
    out["req"] = req;
  }
};

// One entry of a listing: its sequence number, tag and owning session (ZooKeeper's
// ephemeralOwner, which a protected lookup compares with its current session).
struct ChildEntry {
  int64_t seq = 0;
  std::string tag{};
  int64_t session = 0;
};

// The listing, lowest sequence number first; the trace shows each entry as [seq, tag],
// and a tagged (protected) entry as [seq, tag, session].
struct Children {
  static constexpr std::string_view kName = "children";
  std::vector<ChildEntry> entries{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    Json list = Json::array();
    for (const ChildEntry& e : entries) {
      list.push_back(e.tag.empty() ? Json{e.seq, e.tag} : Json{e.seq, e.tag, e.session});
    }
    out["entries"] = std::move(list);
    out["req"] = req;
  }
};

struct Exists {
  static constexpr std::string_view kName = "exists";
  int64_t seq = 0;
  bool watch = true;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["watch"] = watch;
    out["req"] = req;
  }
};

struct ExistsResult {
  static constexpr std::string_view kName = "exists_result";
  int64_t seq = 0;
  bool exists = false;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["exists"] = exists;
    out["req"] = req;
  }
};

struct Delete {
  static constexpr std::string_view kName = "delete";
  int64_t session = 0;
  int64_t seq = 0;
  std::string owner{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["seq"] = seq;
    out["owner"] = owner;
  }
};

struct Deleted {
  static constexpr std::string_view kName = "deleted";
  int64_t seq = 0;
  void write_fields(Json& out) const { out["seq"] = seq; }
};

// The entry a client watched (exists) is gone. `notice` numbers notifications per client.
struct WatchFired {
  static constexpr std::string_view kName = "watch_fired";
  int64_t seq = 0;
  int64_t release_id = 0;
  int64_t notice = 0;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["release_id"] = release_id;
    out["notice"] = notice;
  }
};

// The parent's list changed: an entry was created, or deleted (then `release_id` names it).
struct ChildrenChanged {
  static constexpr std::string_view kName = "children_changed";
  bool deleted = false;  // "cause": "deleted" (else "created")
  int64_t release_id = 0;  // only for a deletion
  int64_t notice = 0;
  void write_fields(Json& out) const {
    out["cause"] = deleted ? "deleted" : "created";
    if (deleted) out["release_id"] = release_id;
    out["notice"] = notice;
  }
};

// ---- Consul (consul_server.h, consul_recipe.h).

struct CreateSession {
  static constexpr std::string_view kName = "create_session";
  int64_t req = 0;
  void write_fields(Json& out) const { out["req"] = req; }
};

struct SessionCreated {
  static constexpr std::string_view kName = "session_created";
  int64_t session = 0;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["req"] = req;
  }
};

struct Renew {
  static constexpr std::string_view kName = "renew";
  int64_t session = 0;
  void write_fields(Json& out) const { out["session"] = session; }
};

struct Renewed {
  static constexpr std::string_view kName = "renewed";
  int64_t session = 0;
  bool valid = false;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["valid"] = valid;
  }
};

// Acquire the key with a session (Consul's PUT ?acquire=session).
struct ConsulAcquire {
  static constexpr std::string_view kName = "acquire";
  int64_t session = 0;
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["owner"] = owner;
    out["req"] = req;
  }
};

// The key's state after the request, and the verdict: ok (with the lock index), the
// session is unknown, or refused (held by another session, or free inside the lock-delay).
// Held on the heap (larger than the 56 inline bytes); one per Consul acquire attempt.
struct AcquireResult {
  static constexpr std::string_view kName = "acquire_result";
  int64_t modify_index = 0;
  bool held = false;
  int64_t req = 0;
  bool ok = false;
  bool session_invalid = false;
  int64_t lock_index = 0;  // when ok
  std::string owner{};
  void write_fields(Json& out) const {
    out["modify_index"] = modify_index;
    out["held"] = held;
    out["req"] = req;
    out["ok"] = ok;
    if (session_invalid) out["session_invalid"] = true;
    if (ok) out["lock_index"] = lock_index;
    out["owner"] = owner;
  }
};

// Release the key held by this session (Consul's PUT ?release=session), but only the
// hold named by `lock_index` (a check-and-set on the key's LockIndex): a release retried
// while the server was slow may arrive after the same session has acquired the key again,
// and must not free that newer hold.
struct ConsulRelease {
  static constexpr std::string_view kName = "release";
  int64_t session = 0;
  std::string owner{};
  int64_t lock_index = 0;
  void write_fields(Json& out) const {
    out["session"] = session;
    out["owner"] = owner;
    out["lock_index"] = lock_index;
  }
};

struct Released {
  static constexpr std::string_view kName = "released";
  int64_t session = 0;
  std::string owner{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["owner"] = owner;
  }
};

// A blocking query: answer when the key's modify index passes `index`.
struct Watch {
  static constexpr std::string_view kName = "watch";
  int64_t index = 0;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["index"] = index;
    out["req"] = req;
  }
};

// The answer to a blocking query: the key's state; `release_id` (its modify index) when
// a parked query is answered by a change.
struct KeyChanged {
  static constexpr std::string_view kName = "key_changed";
  int64_t modify_index = 0;
  bool held = false;
  int64_t req = 0;
  std::optional<int64_t> release_id{};
  void write_fields(Json& out) const {
    out["modify_index"] = modify_index;
    out["held"] = held;
    out["req"] = req;
    if (release_id) out["release_id"] = *release_id;
  }
};

}  // namespace dsim::locks
