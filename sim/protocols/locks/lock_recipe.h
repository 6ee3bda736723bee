// The client side of one lock service, as a sans-I/O state machine: the client that
// drives it (lock_client.h) says acquire and release; the recipe talks to the servers,
// retries, waits, and calls back when the lock is granted or lost. Everything it does
// goes through the Context it is handed, so a test can drive it with a fake one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/process.h"
#include "protocols/locks/owner_id.h"

namespace dsim::locks {

struct Grant {
  std::string owner;             // the value the service holds (Redlock: this attempt's)
  std::optional<int64_t> token;  // the fencing token, if the service issues one
  Instant valid_until = Instant::max();  // local time; max: until told otherwise
};

class RecipeListener {
 public:
  virtual ~RecipeListener() = default;
  virtual void on_granted(Context& ctx, const Grant& grant) = 0;
  // The client held the lock and has learned it no longer does.
  virtual void on_lost(Context& ctx, std::string_view reason) = 0;
  // Whether the worker the lock is held for still makes progress (a lease watchdog stops
  // renewing for a hung one: watchdog.h). True when no hold is in progress.
  virtual bool worker_alive(Context&) const { return true; }
};

class LockRecipe {
 public:
  virtual ~LockRecipe() = default;
  // At every process start (sessions are opened here).
  virtual void start(Context&) {}
  // Starts an acquisition and keeps at it (retries, waits) until on_granted.
  // REQUIRES: no acquisition in progress and the lock not held.
  virtual void acquire(Context& ctx, const OwnerId& owner) = 0;
  // Gives the lock back; fire and forget. Also called after on_lost (harmless).
  virtual void release(Context& ctx) = 0;
  // Whether, by what this client knows now, it still holds the lock.
  virtual bool still_holds(Context& ctx) const = 0;
  // Each returns false when the message or timer is not the recipe's.
  virtual bool on_message(Context& ctx, NodeId from, const Message& m) = 0;
  virtual bool on_timer(Context& ctx, const Timer& t) = 0;
};

}  // namespace dsim::locks
