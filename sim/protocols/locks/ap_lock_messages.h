// The messages of the availability-first lock (ap_lock_server.h), as messages.h's. A
// client's lock and unlock are messages.h's AcquireRequest / ReleaseRequest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "protocols/locks/replication_messages.h"

namespace dsim::locks {

// A member's heartbeat. From the owner it carries the lock's state (the backup copy),
// and `seq` numbers the owner's changes, which the backup acknowledges (MemberAck).
// Held on the heap.
struct MemberHeartbeat {
  static constexpr std::string_view kName = "member_heartbeat";
  bool owner = false;
  uint32_t incarnation = 0;  // the sender's: a restarted owner numbers its changes anew
  int64_t seq = 0;
  int64_t counter = 0;
  bool has_key = false;
  std::string holder{};
  NodeId client = kNoNode;
  int64_t expires_at_ns = 0;  // by the owner's wall clock
  int64_t token = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    if (!owner) return;
    out["incarnation"] = incarnation;
    out["seq"] = seq;
    out["counter"] = counter;
    if (has_key) {
      out["holder"] = holder;
      out["client"] = node_name_or_none(cluster, client);
      out["expires_at_ns"] = expires_at_ns;
      out["token"] = token;
    }
  }
};

// The backup has the owner's state up to change `seq`.
struct MemberAck {
  static constexpr std::string_view kName = "member_ack";
  int64_t seq = 0;
  void write_fields(Json& out) const { out["seq"] = seq; }
};

// This member does not own the lock: ask the other.
struct NotOwner {
  static constexpr std::string_view kName = "not_owner";
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
  }
};

// Split-brain protection: too few members in this member's cluster; try again later.
struct NoQuorum {
  static constexpr std::string_view kName = "no_quorum";
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
  }
};

}  // namespace dsim::locks
