#include "protocols/locks/zookeeper_recipe.h"

#include <algorithm>

#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"

namespace dsim::locks {

ZookeeperRecipe::ZookeeperRecipe(RecipeListener& listener, const ServiceSettings& settings,
                                 NodeId server)
    : listener_(listener), s_(settings), server_(server) {}

void ZookeeperRecipe::start(Context& ctx) {
  open_session(ctx);
  ping_timer_ = ctx.set_timer(s_.session_timeout / 3, LockTimer::kZkPing);
}

// An entry carrying our tag is ours only if our current session owns it: after a session
// expiry and a reconnect, the old session's entry still carries the tag until the server
// expires that session, and then it goes (CURATOR-498). `protected_any_session` is the
// mistake: any entry with the tag counts.
bool ZookeeperRecipe::counts_as_mine(const ChildEntry& e) const {
  return s_.protected_any_session || e.session == session_;
}

bool ZookeeperRecipe::session_usable(Context& ctx) const {
  return session_ != 0 && !session_dead_ && ctx.now() - last_pong_ < s_.session_timeout;
}

// Sends `m`, numbered, as the one request whose answer the recipe waits for.
template <typename M>
void ZookeeperRecipe::send_request(Context& ctx, Request kind, M m) {
  pending_ = kind;
  m.req = ++req_;
  ctx.send(server_, std::move(m));
  ctx.cancel_timer(request_timer_);
  request_timer_ = ctx.set_timer(s_.request_timeout, LockTimer::kZkRequest, req_);
}

void ZookeeperRecipe::open_session(Context& ctx) {
  session_ = 0;
  session_dead_ = false;
  send_request(ctx, Request::kOpen, OpenSession{});
}

void ZookeeperRecipe::acquire(Context& ctx, const OwnerId& owner) {
  base_ = owner;
  base_.attempt = 0;
  my_seq_ = 0;
  pred_ = 0;
  if (session_ != 0 && !session_dead_) {
    create(ctx);
    return;
  }
  phase_ = Phase::kWaitingSession;
  if (pending_ != Request::kOpen) open_session(ctx);
}

void ZookeeperRecipe::create(Context& ctx) {
  phase_ = Phase::kCreating;
  my_seq_ = 0;
  pred_ = 0;
  // Each entry its own owner, so an orphan is not mistaken for the entry that replaced
  // it; a protected create keeps one owner (its tag) for every try of one acquisition.
  if (!s_.protected_create || base_.attempt == 0) ++base_.attempt;
  owner_ = base_.str();
  send_request(ctx, Request::kCreate, Create{session_, owner_, s_.protected_create});
}

void ZookeeperRecipe::list(Context& ctx) {
  if (phase_ != Phase::kCreating) phase_ = Phase::kListing;
  changed_while_listing_ = false;
  send_request(ctx, Request::kList, List{session_, s_.watch_parent});
}

void ZookeeperRecipe::release(Context& ctx) {
  if (my_seq_ != 0) {
    deleting_[my_seq_] = owner_;
    send_deletes(ctx);
  }
  if (pending_ != Request::kOpen) {
    pending_ = Request::kNone;
    ctx.cancel_timer(request_timer_);
  }
  my_seq_ = 0;
  pred_ = 0;
  phase_ = Phase::kIdle;
}

void ZookeeperRecipe::send_deletes(Context& ctx) {
  for (const auto& [seq, owner] : deleting_) {
    ctx.send(server_, Delete{session_, seq, owner});
  }
  ctx.cancel_timer(delete_timer_);
  delete_timer_ = ctx.set_timer(s_.request_timeout, LockTimer::kZkDeleteRetry);
}

bool ZookeeperRecipe::still_holds(Context& ctx) const {
  if (phase_ != Phase::kHolding) return false;
  if (!s_.verify_own_entry) return true;  // the etcd 3.4.3 client trusted a granted lock
  return session_ != 0 && ctx.now() - last_pong_ < s_.session_timeout;
}

void ZookeeperRecipe::granted(Context& ctx) {
  phase_ = Phase::kHolding;
  Grant g;
  g.owner = owner_;
  g.token = my_seq_;
  listener_.on_granted(ctx, g);
}

// What the listing says: held, keep waiting, or start over.
void ZookeeperRecipe::on_children(Context& ctx, const std::vector<ChildEntry>& entries) {
  if (phase_ == Phase::kCreating) {  // a protected create looking for its lost entry
    for (const ChildEntry& e : entries) {
      if (e.tag == owner_ && my_seq_ == 0 && counts_as_mine(e)) my_seq_ = e.seq;
    }
    if (my_seq_ == 0) {
      create(ctx);
      return;
    }
    phase_ = Phase::kListing;
  }
  if (s_.protected_create) {  // a try that arrived late made a second entry: remove it
    size_t before = deleting_.size();
    for (const ChildEntry& e : entries) {
      if (e.tag == owner_ && e.seq != my_seq_ && counts_as_mine(e)) deleting_[e.seq] = owner_;
    }
    if (deleting_.size() != before) send_deletes(ctx);
  }
  bool own = false;
  int64_t below = 0;  // the highest entry below ours: our predecessor
  for (const ChildEntry& e : entries) {
    int64_t seq = e.seq;
    if (seq == my_seq_) own = true;
    if (seq < my_seq_ && seq > below) below = seq;
  }
  if (!own && s_.verify_own_entry) {  // our session expired and took the entry with it
    if (session_usable(ctx)) {
      create(ctx);
    } else {
      phase_ = Phase::kWaitingSession;
      open_session(ctx);
    }
    return;
  }
  if (below == 0) {
    granted(ctx);
    return;
  }
  phase_ = Phase::kWatching;
  if (s_.watch_parent && changed_while_listing_) {
    list(ctx);
    return;
  }
  if (!s_.watch_parent) {
    pred_ = below;
    send_request(ctx, Request::kExists, Exists{pred_});
  }
}

void ZookeeperRecipe::trace_wake(Context& ctx, std::optional<int64_t> release_id) {
  ctx.trace(events::Woke{ctx.cluster().name(server_), release_id});
}

void ZookeeperRecipe::woke(Context& ctx, std::optional<int64_t> release_id) {
  trace_wake(ctx, release_id);
  list(ctx);
}

bool ZookeeperRecipe::new_epoch(int64_t epoch) {
  if (epoch == server_epoch_) return false;
  server_epoch_ = epoch;
  notices_complete_ = 0;  // a restarted server numbers its notifications from 1 again
  notices_beyond_.clear();
  return true;
}

void ZookeeperRecipe::count_notice(int64_t n) {
  if (n <= notices_complete_) return;
  notices_beyond_.insert(n);
  while (notices_beyond_.erase(notices_complete_ + 1) != 0) ++notices_complete_;
}

void ZookeeperRecipe::session_lost(Context& ctx, const char* reason) {
  if (phase_ == Phase::kHolding) {
    session_ = 0;
    listener_.on_lost(ctx, reason);  // the client calls release(), then acquires anew
    open_session(ctx);
    return;
  }
  if (phase_ == Phase::kWatching && !s_.verify_own_entry) {
    session_dead_ = true;  // etcd 3.4.3's Mutex.Lock kept waiting on its watch
    return;
  }
  if (waiting()) phase_ = Phase::kWaitingSession;
  open_session(ctx);
}

void ZookeeperRecipe::on_request_timeout(Context& ctx) {
  switch (pending_) {
    case Request::kOpen:
      open_session(ctx);
      return;
    case Request::kCreate:
      if (s_.protected_create) {
        list(ctx);  // phase stays kCreating: on_children looks for our tag
      } else {
        // Taken as a broken connection: a new session, and the create again. An entry
        // the lost reply would have named stays behind with the old session.
        phase_ = Phase::kWaitingSession;
        open_session(ctx);
      }
      return;
    case Request::kList:
      list(ctx);
      return;
    case Request::kExists:
      send_request(ctx, Request::kExists, Exists{pred_});
      return;
    case Request::kNone:
      return;
  }
}

namespace {
// The `req` an answer echoes; -1 for messages that answer no request.
int64_t answered_req(const Message& m) {
  if (const auto* x = m.as<SessionOpened>()) return x->req;
  if (const auto* x = m.as<Created>()) return x->req;
  if (const auto* x = m.as<Children>()) return x->req;
  if (const auto* x = m.as<ExistsResult>()) return x->req;
  if (const auto* x = m.as<SessionExpired>()) return x->req.value_or(-1);
  return -1;
}
}  // namespace

bool ZookeeperRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  bool answers = answered_req(m) == req_ && pending_ != Request::kNone;
  if (answers) {
    pending_ = Request::kNone;
    ctx.cancel_timer(request_timer_);
  }
  if (const auto* opened = m.as<SessionOpened>()) {
    if (!answers) return true;
    session_ = opened->session;
    new_epoch(opened->epoch);
    last_pong_ = ctx.now();
    if (phase_ == Phase::kWaitingSession) create(ctx);
  } else if (const auto* pong = m.as<Pong>()) {
    if (pong->session != session_) return true;
    last_pong_ = ctx.now();
    bool restarted = new_epoch(pong->epoch);  // the server forgot its watches
    int64_t notified = pong->notified;
    bool missed = notified > notices_complete_;  // lost, or still on its way
    notices_complete_ = std::max(notices_complete_, notified);
    std::erase_if(notices_beyond_, [&](int64_t n) { return n <= notices_complete_; });
    // Look again, which re-registers the watch and catches a wake-up that went missing.
    if ((restarted || missed) && phase_ == Phase::kWatching) list(ctx);
  } else if (const auto* expired = m.as<SessionExpired>()) {
    if (expired->session == session_ && !session_dead_) session_lost(ctx, "session_expired");
  } else if (const auto* created = m.as<Created>()) {
    if (answers && phase_ == Phase::kCreating && created->session == session_ && created->owner == owner_) {
      my_seq_ = created->seq;
      phase_ = Phase::kListing;
      list(ctx);
    }
  } else if (const auto* children = m.as<Children>()) {
    if (answers && (phase_ == Phase::kListing || phase_ == Phase::kCreating)) on_children(ctx, children->entries);
  } else if (const auto* result = m.as<ExistsResult>()) {
    if (answers && phase_ == Phase::kWatching && !result->exists) list(ctx);
  } else if (const auto* fired = m.as<WatchFired>()) {
    count_notice(fired->notice);
    if (!waiting() || fired->seq != pred_) return true;
    if (phase_ == Phase::kWatching) {
      woke(ctx, fired->release_id);
    } else {
      trace_wake(ctx, fired->release_id);  // a look already under way (after a missed-notice pong) sees it
    }
  } else if (const auto* changed = m.as<ChildrenChanged>()) {
    count_notice(changed->notice);
    if (!s_.watch_parent || !waiting()) return true;
    std::optional<int64_t> release_id;
    if (changed->deleted) release_id = changed->release_id;
    if (phase_ == Phase::kWatching) {
      woke(ctx, release_id);
    } else {
      // The network does not keep order: a notification may overtake the answer to the
      // list that set its watch. Look again once that answer is in.
      trace_wake(ctx, release_id);
      changed_while_listing_ = true;
    }
  } else if (const auto* deleted = m.as<Deleted>()) {
    deleting_.erase(deleted->seq);
  } else {
    return false;
  }
  return true;
}

bool ZookeeperRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.is(LockTimer::kZkRequest)) {
    if (t.arg == req_ && pending_ != Request::kNone) on_request_timeout(ctx);
    return true;
  }
  if (t.is(LockTimer::kZkDeleteRetry)) {
    if (!deleting_.empty()) send_deletes(ctx);
    return true;
  }
  if (!t.is(LockTimer::kZkPing)) return false;
  ping_timer_ = ctx.set_timer(s_.session_timeout / 3, LockTimer::kZkPing);
  if (session_ == 0) return true;
  if (!session_dead_ && ctx.now() - last_pong_ >= s_.session_timeout) {
    session_lost(ctx, "session_timeout");
    return true;
  }
  ctx.send(server_, Ping{session_});
  return true;
}

}  // namespace dsim::locks
