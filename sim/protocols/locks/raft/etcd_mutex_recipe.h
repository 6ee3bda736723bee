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
// Mistake switch `renew_stop_on_failure` (etcd-io/etcd issue 6922): the first failed
// keep-alive (unanswered by the next tick, refused, or answered "not leader", the
// server-side error that ends clientv3's keep-alive loop) stops keeping every lease of
// this client alive, for good and silently: the holder never learns its lease lapsed
// and keeps no deadline of its own (it counts on the keep-alive, as code that never
// watches Session.Done() does).
// While the lock is held and the worker makes no progress (RecipeListener::worker_alive),
// the recipe stops keeping that lease alive, so it lapses and the lock goes to another:
// a hung worker must not keep the lock. `renew_without_worker` is the mistake of keeping
// it alive anyway (a zombie keep-alive: concurrency.Session's keep-alive goroutine runs
// whatever the code holding the Mutex does).
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
  void send_keep_alive(Context& ctx);
  // A keep-alive failed; true if the recipe stopped keeping alive (renew_stop_on_failure).
  bool keep_alive_failed(Context& ctx);

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
  bool keep_alive_stopped_ = false;  // renew_stop_on_failure: the loop ended
  int64_t abandoned_lease_ = 0;      // not kept alive: its holder's worker hung
  std::string releasing_;  // the key whose delete is not yet confirmed
  int64_t delete_req_ = 0;
  TimerId delete_timer_ = 0;
};

}  // namespace dsim::locks::raft
