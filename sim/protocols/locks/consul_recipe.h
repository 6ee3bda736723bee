// The client side of a Consul lock: create a session and renew it every TTL/2; acquire
// the key with the session. Refused while someone holds it: wait on a blocking query
// until the key changes, then try again. Refused while nobody holds it (the lock-delay
// after an invalidated session): try again after `lock_retry`. The LockIndex the server
// returns is the fencing token. A session that cannot be renewed for a whole TTL is
// taken as gone, and with it the lock.
//
// Release is asked for until the server confirms it (or the session is gone), and the
// next acquisition waits for that: Consul releases by session, so a release still in
// flight would free the same session's next hold. Each release also names the hold's
// lock index, which the server compares: an older retry delivered after the next grant
// (the session acquired again once one release was confirmed) frees nothing.
//
// Mistake switch `renew_stop_on_failure`: the first failed renewal (refused, or
// unanswered by the next renewal) stops renewing sessions for good, and nobody is told:
// the holder no longer takes an unrenewed session as gone (it counts on the renewal).
// The session is renewed whatever the worker does (the API client's RenewPeriodic is
// not tied to the lock holder), so `renew_without_worker` is refused for this variant
// (lock_settings_reader.cpp): tying the renewal to the worker would change every shipped
// consul trace, left for later.
#pragma once

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

class ConsulRecipe final : public LockRecipe {
 public:
  ConsulRecipe(RecipeListener& listener, const ServiceSettings& settings, NodeId server);

  void start(Context& ctx) override;
  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  enum class Phase { kIdle, kWaitingSession, kWaitingRelease, kAcquiring, kWatching, kRetrying, kHolding };

  bool session_alive(Context& ctx) const;
  void create_session(Context& ctx);
  void send_acquire(Context& ctx);
  void on_acquire_result(Context& ctx, const AcquireResult& r);
  void session_lost(Context& ctx, const char* reason);
  // A renewal failed; true if the recipe stopped renewing (renew_stop_on_failure).
  bool renew_failed(Context& ctx);
  void send_release(Context& ctx);
  void release_done(Context& ctx);
  template <typename M>
  void wait(Context& ctx, M m, Duration timeout, LockTimer kind);

  RecipeListener& listener_;
  ServiceSettings s_;
  NodeId server_;
  Phase phase_ = Phase::kIdle;
  int64_t session_ = 0;  // 0: none
  bool creating_session_ = false;
  Instant last_renewed_;
  bool renew_answered_ = true;  // renew_stop_on_failure only
  bool renew_stopped_ = false;  // renew_stop_on_failure: renewing ended
  std::string owner_;
  int64_t req_ = 0;
  TimerId wait_timer_ = 0;
  std::string releasing_;  // the owner whose release is not yet confirmed; "" if none
  int64_t hold_index_ = 0;       // the lock index of the last grant (the hold's name)
  int64_t releasing_index_ = 0;  // the hold the pending release names
  TimerId release_timer_ = 0;
};

}  // namespace dsim::locks
