// Lease renewal on the client: a watchdog that, while the lock is held, extends the
// lease on the servers every ttl/3 (Redisson's default: lockWatchdogTimeout / 3), each
// renewal naming the hold (its unique value, renewal_messages.h), and counts an
// acknowledgement from a quorum (1 for Redis; a majority for Redlock) as ttl more from
// when that renewal left, less the recipe's drift margin.
//
// Correct behaviour (every switch off): the watchdog stops when the hold ends, and when
// the worker it renews for has made no progress for a whole step (the client's work and
// write wait: LockClient::worker_alive) — a hung worker must not keep the lock; a renewal
// the servers refuse (the key is gone or another's) is the lock lost, which the worker is
// told; an unanswered renewal is tried again at the next tick while the validity it
// already has runs down.
//
// Mistake switches (ServiceSettings), each seen in public reports (README.md):
//   renew_stop_on_failure  the first failed renewal (refused or unanswered) stops the
//                          watchdog and nobody is told; the worker counts on the watchdog
//                          and keeps no validity of its own (Redisson's lock()).
//   renew_without_worker   a zombie keep-alive: renews whether or not the worker makes
//                          progress, and goes on after release.
//   renew_unchecked        (server side, redis_server.cpp) the renewal extends the key
//                          whoever holds it (PEXPIRE without comparing the value).
//
// Used by the Redis, Redlock and Redis-with-Sentinel recipes; any recipe whose servers
// answer Extend can hold one (the Sentinel recipe lists its current primary as the one
// server and calls retarget() and resend() when it follows a promoted one).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/process.h"
#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class LeaseWatchdog {
 public:
  LeaseWatchdog(const ServiceSettings& settings, std::vector<NodeId> servers, size_t quorum, Duration margin);

  bool enabled() const { return s_.renew; }
  // The lock was granted to `owner`: renew from now on (replaces any earlier hold's).
  void start(Context& ctx, const std::string& owner);
  // The hold ended (released or lost). A zombie watchdog keeps renewing.
  void hold_ended(Context& ctx);
  // The servers to renew on from the next renewal: a replicated Redis recipe points the
  // watchdog at the primary it follows after a failover (a renewal the new primary
  // refuses, because the grant never reached it, is then the lock lost — or, under
  // renew_stop_on_failure, the watchdog silently stopping).
  void retarget(std::vector<NodeId> servers, size_t quorum) {
    servers_ = std::move(servers);
    quorum_ = quorum;
  }
  // After retarget(): the latest renewal, if still unanswered (it went to the old
  // primary), is sent again at once to the new servers as a new round, as a client
  // retries a command on the new connection after a failover. The tick keeps its time.
  void resend(Context& ctx);
  // Renewing (started, not stopped).
  bool running() const { return running_; }
  // The validity the worker may count on, given the one the grant gave (local time).
  Instant valid_until(Instant granted_until) const;
  // Each returns false when the message or timer is not the watchdog's.
  bool on_message(Context& ctx, RecipeListener& listener, const Message& m);
  bool on_timer(Context& ctx, RecipeListener& listener, const Timer& t);

 private:
  void tick(Context& ctx, RecipeListener& listener);
  void send_round(Context& ctx);
  void failed(Context& ctx, RecipeListener& listener, bool refused);
  void stop(Context& ctx, std::string_view reason);

  ServiceSettings s_;
  std::vector<NodeId> servers_;
  size_t quorum_;
  Duration margin_;
  bool running_ = false;
  bool holding_ = false;
  std::string owner_;
  // One renewal (Extend.req numbers them): when it left, its answers. An older round's
  // answer that comes late still counts (the last few rounds are kept).
  struct Round {
    Instant sent;
    size_t acks = 0, refusals = 0;
    bool done = false;  // answered by a quorum, or failed
  };
  int64_t round_ = 0;  // the latest renewal
  std::map<int64_t, Round> rounds_;
  bool renewed_ = false;  // some renewal of this hold was acknowledged
  Instant renewed_until_;
  TimerId timer_ = 0;
};

}  // namespace dsim::locks
