#include "protocols/locks/zookeeper_recipe.h"

#include <algorithm>

#include "core/json_object.h"

namespace dsim::locks {

ZookeeperRecipe::ZookeeperRecipe(RecipeListener& listener, const ServiceSettings& settings,
                                 NodeId server)
    : listener_(listener), s_(settings), server_(server) {}

void ZookeeperRecipe::start(Context& ctx) {
  open_session(ctx);
  ping_timer_ = ctx.set_timer(s_.session_timeout / 3, "zk.ping");
}

bool ZookeeperRecipe::session_usable(Context& ctx) const {
  return session_ != 0 && !session_dead_ && ctx.now() - last_pong_ < s_.session_timeout;
}

void ZookeeperRecipe::send_request(Context& ctx, Request kind, Message m) {
  pending_ = kind;
  m.body()["req"] = ++req_;
  ctx.send(server_, std::move(m));
  ctx.cancel_timer(request_timer_);
  request_timer_ = ctx.set_timer(s_.request_timeout, "zk.request", req_);
}

void ZookeeperRecipe::open_session(Context& ctx) {
  session_ = 0;
  session_dead_ = false;
  send_request(ctx, Request::kOpen, Message("open_session", Json::object()));
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
  Json body = json_object("session", session_,
                          "owner", owner_,
                          "tag", s_.protected_create ? owner_ : std::string());
  send_request(ctx, Request::kCreate, Message("create", std::move(body)));
}

void ZookeeperRecipe::list(Context& ctx) {
  if (phase_ != Phase::kCreating) phase_ = Phase::kListing;
  changed_while_listing_ = false;
  send_request(ctx, Request::kList,
               Message("list", json_object("session", session_, "watch", s_.watch_parent)));
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
    ctx.send(server_, Message("delete", json_object("session", session_,
                                                    "seq", seq,
                                                    "owner", owner)));
  }
  ctx.cancel_timer(delete_timer_);
  delete_timer_ = ctx.set_timer(s_.request_timeout, "zk.delete_retry");
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
void ZookeeperRecipe::on_children(Context& ctx, const Json& entries) {
  if (phase_ == Phase::kCreating) {  // a protected create looking for its lost entry
    for (const Json& e : entries) {
      if (e.at(1).get<std::string>() == owner_ && my_seq_ == 0) my_seq_ = e.at(0).get<int64_t>();
    }
    if (my_seq_ == 0) {
      create(ctx);
      return;
    }
    phase_ = Phase::kListing;
  }
  if (s_.protected_create) {  // a try that arrived late made a second entry: remove it
    size_t before = deleting_.size();
    for (const Json& e : entries) {
      int64_t seq = e.at(0).get<int64_t>();
      if (e.at(1).get<std::string>() == owner_ && seq != my_seq_) deleting_[seq] = owner_;
    }
    if (deleting_.size() != before) send_deletes(ctx);
  }
  bool own = false;
  int64_t below = 0;  // the highest entry below ours: our predecessor
  for (const Json& e : entries) {
    int64_t seq = e.at(0).get<int64_t>();
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
    send_request(ctx, Request::kExists, Message("exists", json_object("seq", pred_,
                                                                      "watch", true)));
  }
}

void ZookeeperRecipe::trace_wake(Context& ctx, const Json& body) {
  Json fields = json_object("server", ctx.cluster().name(server_));
  if (body.contains("release_id")) fields["release_id"] = body["release_id"];
  ctx.trace("woke", std::move(fields));
}

void ZookeeperRecipe::woke(Context& ctx, const Json& body) {
  trace_wake(ctx, body);
  list(ctx);
}

bool ZookeeperRecipe::new_epoch(int64_t epoch) {
  if (epoch == server_epoch_) return false;
  server_epoch_ = epoch;
  notices_complete_ = 0;  // a restarted server numbers its notifications from 1 again
  notices_beyond_.clear();
  return true;
}

void ZookeeperRecipe::count_notice(const Json& body) {
  int64_t n = body.value("notice", int64_t{0});
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
      send_request(ctx, Request::kExists, Message("exists", json_object("seq", pred_,
                                                                        "watch", true)));
      return;
    case Request::kNone:
      return;
  }
}

bool ZookeeperRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  const Json& b = m.body();
  int64_t req = b.is_object() ? b.value("req", int64_t{-1}) : -1;
  bool answers = req == req_ && pending_ != Request::kNone;
  if (answers) {
    pending_ = Request::kNone;
    ctx.cancel_timer(request_timer_);
  }
  if (m.type() == "session_opened") {
    if (!answers) return true;
    session_ = b.at("session").get<int64_t>();
    new_epoch(b.at("epoch").get<int64_t>());
    last_pong_ = ctx.now();
    if (phase_ == Phase::kWaitingSession) create(ctx);
  } else if (m.type() == "pong") {
    if (b.at("session").get<int64_t>() != session_) return true;
    last_pong_ = ctx.now();
    bool restarted = new_epoch(b.at("epoch").get<int64_t>());  // the server forgot its watches
    int64_t notified = b.value("notified", int64_t{0});
    bool missed = notified > notices_complete_;  // lost, or still on its way
    notices_complete_ = std::max(notices_complete_, notified);
    std::erase_if(notices_beyond_, [&](int64_t n) { return n <= notices_complete_; });
    // Look again, which re-registers the watch and catches a wake-up that went missing.
    if ((restarted || missed) && phase_ == Phase::kWatching) list(ctx);
  } else if (m.type() == "session_expired") {
    if (b.at("session").get<int64_t>() == session_ && !session_dead_) session_lost(ctx, "session_expired");
  } else if (m.type() == "created") {
    if (answers && phase_ == Phase::kCreating && b.at("session").get<int64_t>() == session_ &&
        b.at("owner").get<std::string>() == owner_) {
      my_seq_ = b.at("seq").get<int64_t>();
      phase_ = Phase::kListing;
      list(ctx);
    }
  } else if (m.type() == "children") {
    if (answers && (phase_ == Phase::kListing || phase_ == Phase::kCreating)) on_children(ctx, b.at("entries"));
  } else if (m.type() == "exists_result") {
    if (answers && phase_ == Phase::kWatching && !b.at("exists").get<bool>()) list(ctx);
  } else if (m.type() == "watch_fired") {
    count_notice(b);
    if (!waiting() || b.at("seq").get<int64_t>() != pred_) return true;
    if (phase_ == Phase::kWatching) {
      woke(ctx, b);
    } else {
      trace_wake(ctx, b);  // a look already under way (after a missed-notice pong) sees it
    }
  } else if (m.type() == "children_changed") {
    count_notice(b);
    if (!s_.watch_parent || !waiting()) return true;
    if (phase_ == Phase::kWatching) {
      woke(ctx, b);
    } else {
      // The network does not keep order: a notification may overtake the answer to the
      // list that set its watch. Look again once that answer is in.
      trace_wake(ctx, b);
      changed_while_listing_ = true;
    }
  } else if (m.type() == "deleted") {
    deleting_.erase(b.at("seq").get<int64_t>());
  } else {
    return false;
  }
  return true;
}

bool ZookeeperRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.kind == "zk.request") {
    if (t.arg == req_ && pending_ != Request::kNone) on_request_timeout(ctx);
    return true;
  }
  if (t.kind == "zk.delete_retry") {
    if (!deleting_.empty()) send_deletes(ctx);
    return true;
  }
  if (t.kind != "zk.ping") return false;
  ping_timer_ = ctx.set_timer(s_.session_timeout / 3, "zk.ping");
  if (session_ == 0) return true;
  if (!session_dead_ && ctx.now() - last_pong_ >= s_.session_timeout) {
    session_lost(ctx, "session_timeout");
    return true;
  }
  ctx.send(server_, Message("ping", json_object("session", session_)));
  return true;
}

}  // namespace dsim::locks
