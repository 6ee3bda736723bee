// The client side of the ZooKeeper lock recipe: a session kept alive by pings; to lock,
// create an ephemeral sequential entry, list the entries, and hold the lock when one's
// own entry is the lowest; otherwise wait for a wake-up and look again. The entry's
// sequence number is the fencing token.
//
// Switches (see ServiceSettings): `watch_parent` makes every waiter watch the whole list
// (the herd) instead of only its predecessor. `verify_own_entry` off re-creates the
// etcd 3.4.3 client bug: while waiting the client ignores that its session died, after
// a wake-up it only checks that no lower entry is left — not that its own entry still
// exists — and once granted it trusts the lock without looking at its session. `protected_create` tags the entry with the owner so that, after a lost
// create reply, the client finds its entry instead of abandoning the session (without
// it, a create that timed out is taken as a broken connection: the client starts a new
// session and the old one's entry lingers as an orphan until that session expires).
// The protected lookup counts only entries of the current session; `protected_any_session`
// (a mistake switch, Curator before CURATOR-498) takes the lowest entry with its tag even
// when an old, dying session owns it, and holds the lock on it until that session expires.
//
// Release deletes the entry and keeps asking until the server confirms (a "guaranteed
// delete", as Curator has): a lost delete would otherwise block the lock for as long as
// the session lives.
#pragma once

#include <map>
#include <set>

#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

class ZookeeperRecipe final : public LockRecipe {
 public:
  ZookeeperRecipe(RecipeListener& listener, const ServiceSettings& settings, NodeId server);

  void start(Context& ctx) override;
  void acquire(Context& ctx, const OwnerId& owner) override;
  void release(Context& ctx) override;
  bool still_holds(Context& ctx) const override;
  bool on_message(Context& ctx, NodeId from, const Message& m) override;
  bool on_timer(Context& ctx, const Timer& t) override;

 private:
  enum class Phase { kIdle, kWaitingSession, kCreating, kListing, kWatching, kHolding };
  enum class Request { kNone, kOpen, kCreate, kList, kExists };

  bool waiting() const {
    return phase_ == Phase::kCreating || phase_ == Phase::kListing || phase_ == Phase::kWatching;
  }
  bool session_usable(Context& ctx) const;
  bool counts_as_mine(const ChildEntry& e) const;
  template <typename M>
  void send_request(Context& ctx, Request kind, M m);
  void open_session(Context& ctx);
  void create(Context& ctx);
  void list(Context& ctx);
  void on_children(Context& ctx, const std::vector<ChildEntry>& entries);
  void on_request_timeout(Context& ctx);
  void send_deletes(Context& ctx);
  void count_notice(int64_t notice);
  // Notes the server's epoch (its incarnation); true when it changed.
  bool new_epoch(int64_t epoch);
  void session_lost(Context& ctx, const char* reason);
  void trace_wake(Context& ctx, std::optional<int64_t> release_id);
  void woke(Context& ctx, std::optional<int64_t> release_id);
  void granted(Context& ctx);

  RecipeListener& listener_;
  ServiceSettings s_;
  NodeId server_;
  Phase phase_ = Phase::kIdle;
  int64_t session_ = 0;        // 0: none
  bool session_dead_ = false;  // known dead but ignored (the etcd bug, while waiting)
  int64_t server_epoch_ = -1;
  Instant last_pong_;
  OwnerId base_;       // the acquisition; each create is one attempt of it
  std::string owner_;  // the current create's owner (and tag): base_ with its attempt
  int64_t my_seq_ = 0;  // 0: no entry
  int64_t pred_ = 0;    // the entry watched (predecessor mode)
  bool changed_while_listing_ = false;
  std::map<int64_t, std::string> deleting_;  // entries released but not yet confirmed gone
  TimerId delete_timer_ = 0;
  // Notifications received: all up to `notices_complete_`, and these beyond it.
  int64_t notices_complete_ = 0;
  std::set<int64_t> notices_beyond_;
  Request pending_ = Request::kNone;
  int64_t req_ = 0;
  TimerId request_timer_ = 0;
  TimerId ping_timer_ = 0;
};

}  // namespace dsim::locks
