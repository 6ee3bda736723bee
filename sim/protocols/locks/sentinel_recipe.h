// The client side of a lock on replicated Redis with Sentinel (variant redis_sentinel):
// the Redis lease recipe (lease_recipe.h: SET key owner NX PX ttl, retried with the same
// value after a backoff) that finds the primary through the sentinels, as Sentinel-aware
// clients do: it asks a sentinel for the primary (get-master-addr-by-name, the sentinels
// in turn), sends its SET there, and asks again when the primary is silent or answers
// -READONLY (it was demoted): the client follows the promoted primary.
//
// -NOREPLICAS (min_replicas_to_write) is a refusal: retry after the backoff. With WAIT
// (wait_replicas) a SET that too few replicas acknowledged is WaitFailed: the client does
// not take the lock, deletes its key and retries.
//
// With `renew`, a watchdog (watchdog.h) renews the key on the primary the client follows.
// While it holds, the client asks a sentinel for the primary at each renewal tick (as
// Redisson's SentinelConnectionManager rescans its sentinels every scanInterval) and
// after -READONLY; on learning of a promoted primary it retargets the watchdog there and
// sends an unanswered renewal again at once. The new primary refusing the renewal (it
// never had the key, or has another's) is the lock lost, and the worker is told — or,
// under renew_stop_on_failure, the failed renewal to the old primary has already
// stopped the watchdog and the key expires on the new one (redisson/redisson issue 775).
//
// primary() and primary_epoch() say which primary the client follows and from which
// sentinel epoch.
#pragma once

#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/watchdog.h"

namespace dsim::locks {

class SentinelRecipe final : public LockRecipe {
 public:
  SentinelRecipe(RecipeListener& listener, const ServiceSettings& settings, const WorkloadSettings& workload,
                 std::vector<NodeId> sentinels);

  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

  NodeId primary() const { return primary_; }
  int64_t primary_epoch() const { return primary_epoch_; }

 private:
  enum class Phase { kIdle, kAcquiring, kHolding };
  void ask_sentinel(Context& ctx);
  void send_request(Context& ctx);
  // Asks the primary when it is known, else a sentinel.
  void next_attempt(Context& ctx);
  void retry_later(Context& ctx);
  void arm_timeout(Context& ctx);
  // While holding with a running watchdog: ask a sentinel which instance is primary.
  void scan_primary(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  Duration backoff_min_, backoff_max_;
  std::vector<NodeId> sentinels_;
  size_t next_sentinel_ = 0;
  NodeId primary_ = kNoNode;
  int64_t primary_epoch_ = -1;
  Phase phase_ = Phase::kIdle;
  std::string owner_;
  std::vector<Instant> sent_at_;  // as LeaseRecipe's: this acquisition's SETs, by number
  int64_t first_request_ = 1;
  int64_t request_ = 0;  // SETs and sentinel questions share the numbering
  int64_t retries_ = 0;
  TimerId timeout_timer_ = 0;
  TimerId retry_timer_ = 0;
  Instant valid_until_ = Instant::max();
  LeaseWatchdog watchdog_;  // with `renew`: the current primary is its one server
  NodeId renewing_on_ = kNoNode;  // the instance the watchdog renews on
};

}  // namespace dsim::locks
