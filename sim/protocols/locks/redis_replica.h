// One Redis instance of a replicated deployment (variant redis_sentinel): the primary, or
// one of its replicas, as sentinels make it (sentinel.h). It holds one lock key and the
// grant counter, as RedisServer does (SET NX PX, safe release, expiry by its own wall
// clock), and adds what replication changes:
//
//  - Replication is asynchronous, as Redis's is: the primary answers the client first
//    and ships its dataset to the replicas it knows (those that acknowledged it) at the
//    same time. A grant the replicas never received is lost when a replica is promoted.
//  - A replica refuses writes (-READONLY), ships nothing, expires nothing itself (it
//    takes the primary's deletions), and acknowledges its offset every sentinel_ping.
//  - REPLICAOF NO ONE (Promote) with a newer epoch makes it primary; REPLICAOF (ReplicaOf)
//    with a newer or equal epoch makes it follow another primary and take that primary's
//    dataset whole: a demoted primary's unreplicated key is gone.
//  - min_replicas_to_write: refuse writes (-NOREPLICAS) unless that many replicas
//    acknowledged within min_replicas_max_lag. wait_replicas: the client's WAIT, answered
//    (AcquireOk) once that many replicas acknowledged the SET, else WaitFailed after
//    wait_timeout.
//  - The token is epoch * kEpochTokenStride + counter (replication_settings.h).
//  - A renewal (Extend, watchdog.h) is a compare-and-pexpire on the primary, replicated
//    like the SET; a replica answers it -READONLY.
//
// Its dataset, role and epoch are on disk (redis_records.h), fsynced before any answer
// with persist "sync", as RedisServer's. Trace events: grant / freed (only for grants this
// instance made while primary: what the checkers' GrantLedger counts), promoted, replica_of.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/replication_messages.h"

namespace dsim::locks {

class RedisReplica final : public Process {
 public:
  // `first_primary`: the primary when no sentinel has failed it over yet.
  RedisReplica(const ServiceSettings& settings, NodeId first_primary)
      : s_(settings), first_primary_(first_primary) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  bool is_primary() const { return is_primary_; }
  int64_t epoch() const { return epoch_; }
  int64_t offset() const { return offset_; }

 private:
  struct Key {
    std::string owner;
    NodeId client;
    Instant expires_at;  // local wall-clock time (the granting primary's)
    int64_t token;
    bool announced;  // this instance traced its grant (and so traces its end)
  };
  struct ReplicaState {
    int64_t offset = -1;
    Instant acked_at;  // local time of its latest acknowledgement
  };
  struct PendingWait {  // a SET whose WAIT has not been answered
    NodeId client;
    std::string owner;
    int64_t req;
    int64_t offset;
    TimerId timer;
  };

  void on_acquire(Context& ctx, NodeId from, const AcquireRequest& a);
  void on_release(Context& ctx, NodeId from, const ReleaseRequest& r);
  void on_extend(Context& ctx, NodeId from, const Extend& e);
  void on_ack(Context& ctx, NodeId from, int64_t offset);
  void on_replicate(Context& ctx, NodeId from, const Replicate& r);
  void promote(Context& ctx, int64_t epoch);
  void follow(Context& ctx, NodeId primary, int64_t epoch);
  // The primary's write: offset up, to disk, shipped to every known replica.
  void wrote(Context& ctx);
  void ship(Context& ctx, NodeId replica);
  void persist(Context& ctx);
  void arm_expiry(Context& ctx);
  void expire_if_due(Context& ctx);
  void drop_key(Context& ctx, const char* cause, const std::string& by, NodeId by_client);
  int64_t fresh_replicas(Context& ctx) const;
  int64_t acked(int64_t offset) const;
  void answer_waits(Context& ctx);

  ServiceSettings s_;
  NodeId first_primary_;
  bool is_primary_ = false;
  NodeId primary_ = kNoNode;
  int64_t epoch_ = 0;
  int64_t offset_ = 0;  // writes applied; -1: waiting for a new primary's dataset
  // The latest update taken from the current primary since this process started or
  // began to follow it: every update is the whole dataset, so older ones are dropped.
  int64_t synced_offset_ = -1;
  std::optional<Key> key_;
  int64_t counter_ = 0;
  std::map<NodeId, ReplicaState> replicas_;
  std::vector<PendingWait> waits_;
  TimerId expiry_timer_ = 0;
};

}  // namespace dsim::locks
