// The replicated log of the Raft lock service (Ongaro & Ousterhout, "In Search of an
// Understandable Consensus Algorithm", USENIX ATC 2014): what one entry holds. The
// commands are the lock service's state-machine operations, in etcd's terms (a lease
// grant, a put of a key with a lease, a delete, a lease revoke) and Consul's (acquire and
// release of the lock key by a session, the session being a lease), plus the no-op a new
// leader appends to commit what earlier terms left (paper §8; thesis §6.4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::raft {

enum class CommandType : uint8_t {
  kNoop, kLeaseGrant, kPut, kDelete, kLeaseRevoke,
  kLockAcquire, kLockRelease,  // Consul: the lock key, by session (the lease)
};

inline std::string_view to_string(CommandType t) {
  switch (t) {
    case CommandType::kNoop: return "noop";
    case CommandType::kLeaseGrant: return "lease_grant";
    case CommandType::kPut: return "put";
    case CommandType::kDelete: return "delete";
    case CommandType::kLeaseRevoke: return "lease_revoke";
    case CommandType::kLockAcquire: return "lock_acquire";
    case CommandType::kLockRelease: return "lock_release";
  }
  return "?";
}

// One state-machine command. `key` is the lock key's owner (OwnerId string; etcd's key
// under the lock prefix), `client` the name of the client node that asked, `lease` the
// lease the key is attached to (kPut) or revoked (kLeaseRevoke), `ttl_ns` a granted
// lease's TTL.
struct Command {
  CommandType type = CommandType::kNoop;
  std::string key{};
  std::string client{};
  int64_t lease = 0;
  int64_t ttl_ns = 0;

  // A 64-bit FNV-1a digest of the command: what the safety checker compares between
  // logs (two entries with one index and term must hold the same command).
  uint64_t digest() const {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](uint64_t byte) {
      h ^= byte;
      h *= 1099511628211ull;
    };
    auto mix_int = [&mix](int64_t v) {
      for (int i = 0; i < 8; ++i) mix(static_cast<uint64_t>(v >> (8 * i)) & 0xff);
    };
    mix(static_cast<uint64_t>(type));
    for (char c : key) mix(static_cast<unsigned char>(c));
    mix(0);
    for (char c : client) mix(static_cast<unsigned char>(c));
    mix(0);
    mix_int(lease);
    mix_int(ttl_ns);
    return h;
  }
  void write_fields(Json& out) const {
    out["cmd"] = std::string(to_string(type));
    if (!key.empty()) out["key"] = key;
    if (!client.empty()) out["client"] = client;
    if (lease != 0) out["lease"] = lease;
    if (ttl_ns != 0) out["ttl_ns"] = ttl_ns;
  }
};

struct Entry {
  int64_t term = 0;
  Command command{};
};

}  // namespace dsim::locks::raft
