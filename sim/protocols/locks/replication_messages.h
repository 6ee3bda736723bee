// The messages of replicated Redis with Sentinel (redis_replica.h, sentinel.h,
// sentinel_recipe.h), one struct each (core/payload.h), as messages.h's: kName is the
// trace's "msg", write_fields the "body" keys in order. Node ids are written as node
// names (`cluster` is the run's cluster, set by the sender).
//
// A client's SET NX and DEL are messages.h's AcquireRequest / ReleaseRequest; the
// answers a replicated server adds are ReadOnly, NoReplicas and WaitFailed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"

namespace dsim::locks {

inline std::string node_name_or_none(const Cluster* cluster, NodeId n) {
  return n == kNoNode || cluster == nullptr ? std::string() : cluster->name(n);
}

// ---- Between instances: asynchronous replication.

// The primary's dataset after its write number `offset` (one lock key and the counter:
// the whole dataset is small, so every update ships it whole). Held on the heap.
struct Replicate {
  static constexpr std::string_view kName = "replicate";
  int64_t epoch = 0;
  int64_t offset = 0;
  int64_t counter = 0;
  bool has_key = false;
  std::string owner{};
  NodeId client = kNoNode;
  int64_t expires_at_ns = 0;  // by the primary's wall clock, as Redis ships PEXPIREAT
  int64_t token = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["epoch"] = epoch;
    out["offset"] = offset;
    out["counter"] = counter;
    if (has_key) {
      out["owner"] = owner;
      out["client"] = node_name_or_none(cluster, client);
      out["expires_at_ns"] = expires_at_ns;
      out["token"] = token;
    }
  }
};

// REPLCONF ACK: a replica's offset, sent to its primary after every update and every
// sentinel_ping; -1 asks for the whole dataset (a replica that has just changed primary).
struct ReplAck {
  static constexpr std::string_view kName = "repl_ack";
  int64_t offset = 0;
  void write_fields(Json& out) const { out["offset"] = offset; }
};

// ---- Sentinels and instances.

struct SentinelPing {  // no body (INFO replication)
  static constexpr std::string_view kName = "sentinel_ping";
  void write_fields(Json&) const {}
};

// An instance's INFO replication: its role, its primary, its epoch and offset.
struct InstanceInfo {
  static constexpr std::string_view kName = "info";
  bool is_primary = false;
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  int64_t offset = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["role"] = is_primary ? "primary" : "replica";
    out["primary"] = node_name_or_none(cluster, primary);
    out["epoch"] = epoch;
    out["offset"] = offset;
  }
};

// REPLICAOF NO ONE, from the sentinel that won the failover of `epoch`.
struct Promote {
  static constexpr std::string_view kName = "replicaof_no_one";
  int64_t epoch = 0;
  void write_fields(Json& out) const { out["epoch"] = epoch; }
};

// REPLICAOF primary: follow `primary` (the demotion of an old primary, too).
struct ReplicaOf {
  static constexpr std::string_view kName = "replicaof";
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["primary"] = node_name_or_none(cluster, primary);
    out["epoch"] = epoch;
  }
};

// ---- Between sentinels.

// SENTINEL is-master-down-by-addr: does the receiver think `primary` is down? With
// `vote`, the sender also asks for the receiver's vote as failover leader of `epoch`.
struct IsPrimaryDown {
  static constexpr std::string_view kName = "is_master_down";
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  bool vote = false;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["primary"] = node_name_or_none(cluster, primary);
    out["epoch"] = epoch;
    out["vote"] = vote;
  }
};

// The answer: `down` (the receiver's own SDOWN), and `voted` when it voted for the
// asker in `epoch`.
struct IsPrimaryDownReply {
  static constexpr std::string_view kName = "is_master_down_reply";
  NodeId primary = kNoNode;
  bool down = false;
  int64_t epoch = 0;
  bool voted = false;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["primary"] = node_name_or_none(cluster, primary);
    out["down"] = down;
    out["epoch"] = epoch;
    out["voted"] = voted;
  }
};

// A sentinel's configuration, as sentinels announce it to each other (hello messages):
// the higher epoch wins.
struct SentinelHello {
  static constexpr std::string_view kName = "hello";
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["primary"] = node_name_or_none(cluster, primary);
    out["epoch"] = epoch;
  }
};

// ---- Clients and sentinels: SENTINEL get-master-addr-by-name.

struct GetPrimary {
  static constexpr std::string_view kName = "get_master_addr";
  int64_t req = 0;
  void write_fields(Json& out) const { out["req"] = req; }
};

struct PrimaryAddr {
  static constexpr std::string_view kName = "master_addr";
  NodeId primary = kNoNode;
  int64_t epoch = 0;
  int64_t req = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["primary"] = node_name_or_none(cluster, primary);
    out["epoch"] = epoch;
    out["req"] = req;
  }
};

// ---- A replicated server's refusals of a client's SET or DEL.

// -READONLY: this instance is a replica; ask the sentinels for the primary.
struct ReadOnly {
  static constexpr std::string_view kName = "readonly";
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
  }
};

// -NOREPLICAS: fewer than min_replicas_to_write replicas acknowledged within the lag.
struct NoReplicas {
  static constexpr std::string_view kName = "noreplicas";
  std::string owner{};
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
  }
};

// WAIT wait_replicas wait_timeout returned fewer: the key was set but `acked` replicas
// (fewer than asked) have it. The client does not take the lock and deletes its key.
struct WaitFailed {
  static constexpr std::string_view kName = "wait_failed";
  std::string owner{};
  int64_t req = 0;
  int64_t acked = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
    out["acked"] = acked;
  }
};

}  // namespace dsim::locks
