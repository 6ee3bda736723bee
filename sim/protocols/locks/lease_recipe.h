// The client side of a single-server lock: the naive lock of the seed document and
// Redis's SET key value NX PX ttl. Ask; on a refusal or silence ask again after a
// backoff, with the same value — so a lost reply leaves the client locked out by its own
// key until the lease runs out, as such clients are. Validity is the lease minus a drift
// margin, counted from when the granted request left; the naive lock has no lease and is
// held until released. With `renew`, a watchdog (watchdog.h) extends the lease while
// the lock is held.
#pragma once

#include <vector>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/watchdog.h"

namespace dsim::locks {

class LeaseRecipe final : public LockRecipe {
 public:
  LeaseRecipe(RecipeListener& listener, const ServiceSettings& settings, const WorkloadSettings& workload,
              NodeId server);

  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  enum class Phase { kIdle, kAcquiring, kHolding };
  bool has_lease() const { return s_.service != LockService::kSeed; }
  void send_request(Context& ctx);
  void retry_later(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  Duration backoff_min_, backoff_max_;
  NodeId server_;
  Phase phase_ = Phase::kIdle;
  std::string owner_;
  // When this acquisition's requests left: numbers first_request_, first_request_ + 1, ...
  // (a vector, not a map: it keeps its buffer from one acquisition to the next).
  std::vector<Instant> sent_at_;
  int64_t first_request_ = 1;
  int64_t request_ = 0;
  int64_t retries_ = 0;
  TimerId timeout_timer_ = 0;
  TimerId retry_timer_ = 0;
  Instant valid_until_ = Instant::max();
  LeaseWatchdog watchdog_;  // with `renew` (Redis)
};

}  // namespace dsim::locks
