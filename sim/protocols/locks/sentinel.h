// A Redis Sentinel watching one primary and its replicas (variant redis_sentinel), after
// the Sentinel documentation's model (https://redis.io/docs/latest/operate/oss_and_stack/
// management/sentinel/):
//
//  - Every sentinel_ping it pings every instance (INFO) and greets the other sentinels
//    with its configuration (the primary and the epoch it was chosen in; hello messages).
//  - A primary that has not answered for down_after is subjectively down (SDOWN) to this
//    sentinel; it asks the others (is-master-down-by-addr) and, once sentinel_quorum of
//    them (itself included) say so, the primary is objectively down (ODOWN).
//  - Then it starts a failover: a new epoch (current epoch + 1), its own vote, and a
//    request for the others' votes. Each sentinel votes once per epoch, for the first
//    that asks. With a majority of all sentinels (and at least the quorum) it promotes
//    the replica with the largest replication offset among those that answered within
//    down_after (REPLICAOF NO ONE), and takes the new configuration; the others learn it
//    from its hellos. Without, it tries again after failover_timeout. Each start is
//    delayed at random (up to five sentinel_pings) so that sentinels do not split the
//    votes, and a sentinel that voted for another waits failover_timeout before its own.
//  - Any instance that reports a configuration older than its own (an old primary that
//    came back, a replica following it) is told to follow the current primary: the
//    demotion of the old primary.
//  - Clients ask it for the primary (get-master-addr-by-name).
//
// Current epoch, vote and configuration are on disk (fsynced), as sentinel.conf is.
// Trace events (replication_events.h): sdown, odown, failover_start, switch_master.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class Sentinel final : public Process {
 public:
  // `instances`: the Redis nodes, the first of them the first primary; `sentinels`: all
  // sentinels, this one included.
  Sentinel(const ReplicationSettings& settings, std::vector<NodeId> instances, std::vector<NodeId> sentinels);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  NodeId primary() const { return primary_; }
  int64_t config_epoch() const { return config_epoch_; }
  int64_t current_epoch() const { return current_epoch_; }

 private:
  struct Info {
    bool known = false;
    bool is_primary = false;
    NodeId primary = kNoNode;
    int64_t epoch = 0;
    int64_t offset = 0;
    Instant at;  // local time of the reply
  };
  void tick(Context& ctx);
  void check_down(Context& ctx);
  void start_failover(Context& ctx);
  void count_vote(Context& ctx, NodeId from);
  void reconfigure(Context& ctx);
  // Takes `primary` of `epoch` as the configuration, if newer than ours.
  void adopt(Context& ctx, NodeId primary, int64_t epoch);
  void persist(Context& ctx);
  size_t quorum() const;
  size_t majority() const { return sentinels_.size() / 2 + 1; }

  ReplicationSettings s_;
  std::vector<NodeId> instances_;
  std::vector<NodeId> sentinels_;
  NodeId primary_ = kNoNode;
  int64_t config_epoch_ = 0;
  int64_t current_epoch_ = 0;
  int64_t voted_epoch_ = 0;
  NodeId voted_for_ = kNoNode;
  std::map<NodeId, Info> info_;
  Instant started_at_;
  bool sdown_ = false;
  bool odown_ = false;
  std::map<NodeId, Instant> down_reports_;  // sentinels that said the primary is down, when
  int64_t failover_epoch_ = 0;              // the failover this sentinel leads, 0 when none
  std::set<NodeId> votes_;
  Instant next_failover_;     // no failover of its own before this (local time)
  TimerId failover_timer_ = 0;  // the randomly delayed start of a failover
};

}  // namespace dsim::locks
