// The client side of the availability-first lock (variant ap): the lease recipe
// (lease_recipe.h: lock with a lease, retried with the same value after a backoff)
// against two members, as a Hazelcast client that sends each operation to the member it
// believes owns the lock: silence or NotOwner sends it to the other member; a refusal
// (busy, NoQuorum) retries after the backoff.
#pragma once

#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class ApRecipe final : public LockRecipe {
 public:
  ApRecipe(RecipeListener& listener, const ServiceSettings& settings, const WorkloadSettings& workload,
           std::vector<NodeId> members);

  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  enum class Phase { kIdle, kAcquiring, kHolding };
  void send_request(Context& ctx);
  void retry_later(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  Duration backoff_min_, backoff_max_;
  std::vector<NodeId> members_;
  size_t member_ = 0;  // the member it sends to
  NodeId granted_by_ = kNoNode;
  Phase phase_ = Phase::kIdle;
  std::string owner_;
  std::vector<Instant> sent_at_;  // as LeaseRecipe's
  int64_t first_request_ = 1;
  int64_t request_ = 0;
  int64_t retries_ = 0;
  TimerId timeout_timer_ = 0;
  TimerId retry_timer_ = 0;
  Instant valid_until_ = Instant::max();
};

}  // namespace dsim::locks
