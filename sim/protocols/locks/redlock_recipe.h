// The client side of Redlock: the same SET NX PX on N independent servers, granted when
// a majority said yes and time is left. Step by step, as the algorithm is published:
//   1. note the local time t0; 2. ask every server with the same value;
//   3. when a majority agreed, validity = ttl - (now - t0) - (ttl*drift_factor + 2 ms);
//      the lock is held if that is positive; 4. otherwise unlock everywhere and retry
//      after a random delay, with a fresh value.
// `validity_check_elapsed` off drops the "- (now - t0)" of step 3: the client then
// trusts replies however late it reads them (for the pause-while-acquiring scenario).
// The token, for fencing, is the largest of the majority's per-server counters: Redlock
// has no sequencer of its own, and this one is not guaranteed to grow.
// With `renew`, a watchdog (watchdog.h) extends the key on every server while the lock is
// held, as redlock clients' extend does; a majority's acknowledgement renews the validity.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/watchdog.h"

namespace dsim::locks {

class RedlockRecipe final : public LockRecipe {
 public:
  RedlockRecipe(RecipeListener& listener, const ServiceSettings& settings,
                const WorkloadSettings& workload, std::vector<NodeId> servers);

  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

  size_t quorum() const { return servers_.size() / 2 + 1; }

 private:
  enum class Phase { kIdle, kAsking, kBackingOff, kHolding };
  void start_attempt(Context& ctx);
  void decide(Context& ctx);
  void unlock_all(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  Duration backoff_min_, backoff_max_;
  std::vector<NodeId> servers_;
  Phase phase_ = Phase::kIdle;
  OwnerId base_;
  std::string owner_;  // this attempt's value
  Instant t0_;
  std::map<NodeId, int64_t> granted_;  // server -> its token
  std::set<NodeId> replied_;
  int64_t retries_ = 0;
  TimerId timer_ = 0;
  Instant valid_until_;
  LeaseWatchdog watchdog_;  // with `renew`: extends on every server, a majority counts
};

}  // namespace dsim::locks
