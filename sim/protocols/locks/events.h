// The protocol events of the locks family (ctx.trace), one struct each (core/payload.h):
// kName is the trace's event name, write_fields writes its "data" keys in the trace's
// order. Checkers read them with Observation::as<E>(); their JSON is built only while
// a trace is written.
//
// An event is handed over by reference for the length of one ctx.trace call and never
// stored by the core, so its text fields are string_views of the tracer's own strings
// (owners, node names, literal causes); a checker that keeps one copies it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::events {

// ---- Lock servers (every service). The lock passed to `owner` (at `client`); `token`
// is the server's fencing token when it issues one. `restored`: announced after a
// restart for a hold recovered from disk. `same_session`: Consul, the holding session
// took the key again under a new owner (same lock index).
struct Grant {
  static constexpr std::string_view kName = "grant";
  std::string_view owner{};
  std::string_view client{};
  std::optional<int64_t> token{};
  std::optional<int64_t> expires_local_ns{};  // Redis: the key's end, by the server's clock
  bool restored = false;
  bool same_session = false;
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    if (token) out["token"] = *token;
    if (expires_local_ns) out["expires_local_ns"] = *expires_local_ns;
    if (restored) out["restored"] = true;
    if (same_session) out["same_session"] = true;
  }
};

// The lock held by `owner` went away: `cause` "release", "delete", "expired",
// "session_expired", "session_invalidated", "reacquired". `release_id` names the change
// wake-ups refer to (ZooKeeper: the entry; Consul: the modify index). `by` and
// `by_client`: the owner that asked for it, when a client did (by_client not empty).
struct Freed {
  static constexpr std::string_view kName = "freed";
  std::string_view owner{};
  std::string_view client{};
  std::string_view cause{};
  std::optional<int64_t> release_id{};
  std::string_view by{};
  std::string_view by_client{};
  bool by_a_client() const { return !by_client.empty(); }
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    out["cause"] = std::string(cause);
    if (release_id) out["release_id"] = *release_id;
    if (by_a_client()) {
      out["by"] = std::string(by);
      out["by_client"] = std::string(by_client);
    }
  }
};

// ---- ZooKeeper server.
struct SessionOpened {
  static constexpr std::string_view kName = "session_opened";
  int64_t session = 0;
  std::string_view client{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["client"] = std::string(client);
  }
};

struct SessionExpired {
  static constexpr std::string_view kName = "session_expired";
  int64_t session = 0;
  std::string_view client{};
  std::string_view cause{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["client"] = std::string(client);
    out["cause"] = std::string(cause);
  }
};

struct EntryCreated {
  static constexpr std::string_view kName = "entry_created";
  int64_t seq = 0;
  std::string_view owner{};
  std::string_view client{};
  int64_t session = 0;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    out["session"] = session;
  }
};

struct EntryDeleted {
  static constexpr std::string_view kName = "entry_deleted";
  int64_t seq = 0;
  std::string_view owner{};
  std::string_view client{};
  std::string_view cause{};
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    out["cause"] = std::string(cause);
  }
};

// ---- Consul server.
struct SessionCreated {
  static constexpr std::string_view kName = "session_created";
  int64_t session = 0;
  std::string_view client{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["client"] = std::string(client);
  }
};

struct SessionInvalidated {
  static constexpr std::string_view kName = "session_invalidated";
  int64_t session = 0;
  std::string_view client{};
  void write_fields(Json& out) const {
    out["session"] = session;
    out["client"] = std::string(client);
  }
};

struct LockDelayStart {
  static constexpr std::string_view kName = "lock_delay_start";
  int64_t lock_delay_ns = 0;
  void write_fields(Json& out) const { out["lock_delay_ns"] = lock_delay_ns; }
};

struct LockDelayEnd {  // no fields: the trace shows no "data"
  static constexpr std::string_view kName = "lock_delay_end";
  void write_fields(Json&) const {}
};

// ---- The resource: a write it accepted or rejected. `highest_token` is there when
// fencing is on (the highest it had accepted before this write).
struct WriteVerdict {
  std::string_view owner{};
  std::string_view client{};
  int64_t n = 0;
  std::optional<int64_t> token{};
  std::optional<int64_t> highest_token{};
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    out["n"] = n;
    if (token) out["token"] = *token;
    if (highest_token) out["highest_token"] = *highest_token;
  }
};
struct WriteAccepted : WriteVerdict {
  static constexpr std::string_view kName = "write_accepted";
};
struct WriteRejected : WriteVerdict {
  static constexpr std::string_view kName = "write_rejected";
};

// ---- Recipes (at the client).
// Redlock: an attempt without a majority in time; its keys are unlocked everywhere.
struct AcquireFailed {
  static constexpr std::string_view kName = "acquire_failed";
  std::string_view owner{};
  uint64_t granted = 0;
  uint64_t quorum = 0;
  int64_t validity_ns = 0;
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["granted"] = granted;
    out["quorum"] = quorum;
    out["validity_ns"] = validity_ns;
  }
};

// A waiter woken by a notification (watch, blocking query); `release_id` says which
// release woke it, when the notification says.
struct Woke {
  static constexpr std::string_view kName = "woke";
  std::string_view server{};
  std::optional<int64_t> release_id{};
  void write_fields(Json& out) const {
    out["server"] = std::string(server);
    if (release_id) out["release_id"] = *release_id;
  }
};

// ---- The lock client (lock_client.h).
struct AcquireStart {
  static constexpr std::string_view kName = "acquire_start";
  std::string_view owner{};
  void write_fields(Json& out) const { out["owner"] = std::string(owner); }
};

// The client believes it holds the lock; `valid_for_ns`: how long, by its clock, when
// the hold is a lease.
struct Acquired {
  static constexpr std::string_view kName = "acquired";
  std::string_view owner{};
  std::optional<int64_t> token{};
  std::optional<int64_t> valid_for_ns{};
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    if (token) out["token"] = *token;
    if (valid_for_ns) out["valid_for_ns"] = *valid_for_ns;
  }
};

// The client stopped believing it holds the lock, by choice.
struct Released {
  static constexpr std::string_view kName = "released";
  std::string_view owner{};
  void write_fields(Json& out) const { out["owner"] = std::string(owner); }
};

// The client learned it no longer holds the lock, and why.
struct Lost {
  static constexpr std::string_view kName = "lost";
  std::string_view owner{};
  std::string_view reason{};
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    if (!reason.empty()) out["reason"] = std::string(reason);
  }
};

// The client's two operations, acquire and write, are traced as the common "op" record.
// The value of the common "op" record (core/client_op.h's typed ClientOp): the owner,
// and for a write its number, the fencing token and a lease's validity where known.
struct OpValue {
  static constexpr std::string_view kName = "lock_op_value";
  std::string_view owner{};
  std::optional<int64_t> n{};
  std::optional<int64_t> token{};
  std::optional<int64_t> valid_for_ns{};
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    if (n) out["n"] = *n;
    if (token) out["token"] = *token;
    if (valid_for_ns) out["valid_for_ns"] = *valid_for_ns;
  }
};

// The event's fields as JSON, for a violation's details (reports only, never per event).
template <typename E>
Json fields_of(const E& event) {
  Json out = Json::object();
  event.write_fields(out);
  return out;
}

}  // namespace dsim::locks::events
