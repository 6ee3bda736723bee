// The Redis servers' disk records, as the family's own types (DurableStore::put of a
// struct, read back with get_record and as<R>()): no JSON is built to write or recover
// them. kName is the record's name; write_fields gives its fields (for tools that dump a
// disk), in the order the JSON records had.
//
// Key "counter": the grant counter (the token). Key "key": the lock key, while set.
// The replicated servers (redis_replica.h) add key "replication": role and epoch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/json.h"

namespace dsim::locks::rec {

// The counter bumped on every grant (INCR), whose value is the grant's token.
struct RedisCounter {
  static constexpr std::string_view kName = "counter";
  int64_t value = 0;
  void write_fields(Json& out) const { out["value"] = value; }
};

// SET key owner NX PX ttl, as it stands: the owner, its client, the key's end by the
// server's own wall clock (ns), and the token it was granted with.
struct RedisKey {
  static constexpr std::string_view kName = "key";
  std::string owner;
  NodeId client = kNoNode;
  int64_t expires_at_ns = 0;
  int64_t token = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["client"] = client;
    out["expires_at_ns"] = expires_at_ns;
    out["token"] = token;
  }
};

// A replicated instance's place (redis_replica.h): primary or replica of `primary`, the
// configuration epoch it last took from a sentinel, and its replication offset.
struct ReplicationState {
  static constexpr std::string_view kName = "replication";
  bool is_primary = false;
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  int64_t offset = 0;
  void write_fields(Json& out) const {
    out["is_primary"] = is_primary;
    out["primary"] = primary;
    out["epoch"] = epoch;
    out["offset"] = offset;
  }
};

}  // namespace dsim::locks::rec
