// The client side of etcd's lock (client/v3/concurrency: Session and Mutex) on the Raft
// lock service. The session is a lease (lease_ttl) kept alive every TTL/3; the lock is:
//   1. put the waiter's key (its OwnerId) with the lease, unless it exists; the answer
//      gives the key's create revision and the owner's (the lowest under the prefix);
//   2. if they are equal the lock is ours, else read (linearizably) the key with the
//      highest create revision below ours; none: ours (once our own key is seen to still
//      exist, as etcd checks since v3.5); else watch that key until it is deleted, and
//      read again;
//   3. the create revision is the fencing token; release deletes the key.
// A waiter whose key went with its lease puts a new key under a new attempt number
// ("c1/0/3.1"): a key, once deleted, is never granted again under the same name.
// The client finds the leader by asking any server and following "not leader" hints,
// moving to the next server on a timeout. The lease is taken as valid until TTL after
// the keep-alive that last renewed it was sent (by the client's clock); a lease the
// service reports gone, or that lapses, loses the lock.
#pragma once

#include <string>
#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks::raft {

class EtcdMutexRecipe final : public LockRecipe {
 public:
  EtcdMutexRecipe(RecipeListener& listener, const ServiceSettings& settings, std::vector<NodeId> servers);

  void start(Context& ctx) override;
  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  // What the request in flight is for.
  enum class Phase { kIdle, kLease, kPut, kCheck, kWatch, kHolding };

  NodeId server() const { return servers_[guess_]; }
  void next_server() { guess_ = (guess_ + 1) % servers_.size(); }
  void follow_hint(int64_t leader);
  // Sends the request of the current phase, numbered anew, and arms its timeout.
  void send_request(Context& ctx);
  void send_delete(Context& ctx);
  void granted(Context& ctx);
  void lease_gone(Context& ctx, std::string_view reason);

  RecipeListener& listener_;
  ServiceSettings s_;
  std::vector<NodeId> servers_;
  size_t guess_ = 0;
  Phase phase_ = Phase::kIdle;
  int64_t req_ = 0;
  int64_t request_ = 0;  // the request of the phase in flight
  Instant request_sent_;
  TimerId request_timer_ = 0;
  OwnerId owner_id_;
  std::string owner_;  // owner_id_'s string: the key
  int64_t my_rev_ = 0;
  std::string watched_;
  int64_t lease_ = 0;  // 0: none
  Instant lease_deadline_;
  int64_t keep_alive_ = 0;  // the keep-alive in flight
  bool keep_alive_answered_ = true;
  Instant keep_alive_sent_;
  std::string releasing_;  // the key whose delete is not yet confirmed
  int64_t delete_req_ = 0;
  TimerId delete_timer_ = 0;
};

}  // namespace dsim::locks::raft
