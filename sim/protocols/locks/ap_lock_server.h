// One member of an availability-first lock service (variant ap): two members, the
// lock's owner and its backup, after Hazelcast's pre-3.12 ILock (AP: partition-replicated,
// no consensus). The Hazelcast 3.x ILock documentation describes what this models: during
// a split each side "will either create a brand new and un-acquired ILock or it will
// continue to use the primary or back-up version", and after healing the merge keeps one
// side's lock, so "multiple acquirers think they hold the same lock".
//
//  - The owner grants (with a lease, as lock(leaseTime)), counts grants (the token) and
//    sends its state to the backup at once and with every heartbeat. It answers the client
//    once the backup acknowledged the change (a synchronous backup, Hazelcast's default),
//    or at once when the backup has been removed from its cluster.
//  - A member not heard from for member_timeout is removed; a backup left alone takes the
//    lock over from its copy and serves it: each side of a partition keeps serving.
//  - After healing, the two owners merge: the member with the lower node id keeps its
//    lock; the other drops its own (traced as freed, cause "merged") and becomes backup.
//  - A restarted member (the lock is in memory, as Hazelcast's; only the grant counter is
//    on disk, so tokens never go back) joins empty: it becomes
//    the backup of an owner it hears, or owner if it hears nobody for member_timeout.
//  - split_brain_protection: the owner refuses (NoQuorum) unless that many members are
//    in its cluster — the honest fix short of consensus: the minority side stops serving.
//
// Trace events: grant / freed (for grants this member made), member_removed,
// member_joined, took_ownership.
#pragma once

#include <optional>
#include <vector>

#include "core/process.h"
#include "protocols/locks/ap_lock_messages.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

class ApLockServer final : public Process {
 public:
  ApLockServer(const ServiceSettings& settings, NodeId first_owner, NodeId peer)
      : s_(settings), first_owner_(first_owner), peer_(peer) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  bool is_owner() const { return is_owner_; }
  bool peer_present() const { return peer_present_; }

 private:
  struct Key {
    std::string owner;
    NodeId client;
    Instant expires_at;  // local wall-clock time (the granting owner's)
    int64_t token;
    bool announced;
  };
  struct Pending {  // a grant waiting for the backup's acknowledgement
    NodeId client;
    std::string owner;
    int64_t req;
    int64_t seq;
    int64_t token;
  };
  void on_heartbeat(Context& ctx, const MemberHeartbeat& hb);
  void on_acquire(Context& ctx, NodeId from, const AcquireRequest& a);
  void on_release(Context& ctx, NodeId from, const ReleaseRequest& r);
  void send_heartbeat(Context& ctx);
  void save_counter(Context& ctx);
  void take_ownership(Context& ctx, const char* cause);
  void changed(Context& ctx);  // the owner's change: numbered and sent to the backup
  void answer_pending(Context& ctx, bool backup_gone);
  void expire_if_due(Context& ctx);
  void drop_key(Context& ctx, const char* cause, const std::string& by, NodeId by_client);
  int64_t members() const { return peer_present_ ? 2 : 1; }

  ServiceSettings s_;
  NodeId first_owner_;
  NodeId peer_;
  bool is_owner_ = false;
  bool peer_present_ = false;
  Instant last_heard_;  // local time
  std::optional<Key> key_;
  int64_t counter_ = 0;
  int64_t seq_ = 0;         // the owner's changes; a backup: the latest it took
  int64_t acked_seq_ = 0;   // the owner: the backup's latest acknowledgement
  uint32_t owner_incarnation_ = 0;  // a backup: the incarnation of the owner whose state it has
  std::vector<Pending> pending_;
};

}  // namespace dsim::locks
