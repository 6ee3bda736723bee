// One Redis instance holding one lock key, as SET key value NX PX ttl uses it: the key
// is set only if absent, and expires `ttl` after it was set — by this server's own wall
// clock (ctx.now(), which drifts and jumps), as Redis keeps expiries: a forward jump
// expires keys early. Expiry is checked on every access and by a timer set for the
// key's end (and re-armed if a backward jump made the end move away).
//
// Release deletes the key only if it still holds the caller's value; with
// `unsafe_release` it is a plain DEL, whoever holds it. A counter bumped on every grant
// is the token (Redis has no fencing token; this is the INCR clients pair with it).
// With `persist_sync` the key and counter are fsynced before any answer; without, they
// sit in the page cache and a crash loses them.
//
// A renewal (Extend, renewal_messages.h) moves the key's expiry if the key still holds
// the value it names; with `renew_unchecked`, whatever value it holds.
//
// Used alone (variant redis) and as each of Redlock's independent servers.
// Trace events: grant (also, marked restored, for a key recovered from disk), freed.
#pragma once

#include <optional>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

struct Extend;  // renewal_messages.h

class RedisServer final : public Process {
 public:
  explicit RedisServer(const ServiceSettings& settings) : s_(settings) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

 private:
  struct Key {
    std::string owner;
    NodeId client;
    Instant expires_at;  // local wall-clock time
    int64_t token;
  };
  void expire_if_due(Context& ctx);
  void arm_expiry(Context& ctx);
  void persist(Context& ctx);
  void extend(Context& ctx, NodeId from, const Extend& e);
  void freed(Context& ctx, const char* cause, const std::string& by, NodeId by_client);

  ServiceSettings s_;
  std::optional<Key> key_;
  int64_t counter_ = 0;
  TimerId expiry_timer_ = 0;
};

}  // namespace dsim::locks
