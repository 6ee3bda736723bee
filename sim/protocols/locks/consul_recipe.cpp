#include "protocols/locks/consul_recipe.h"

#include "core/json_object.h"

namespace dsim::locks {

ConsulRecipe::ConsulRecipe(RecipeListener& listener, const ServiceSettings& settings, NodeId server)
    : listener_(listener), s_(settings), server_(server) {}

void ConsulRecipe::start(Context& ctx) {
  create_session(ctx);
  ctx.set_timer(s_.session_ttl / 2, "consul.renew");
}

bool ConsulRecipe::session_alive(Context& ctx) const {
  return session_ != 0 && ctx.now() - last_renewed_ < s_.session_ttl;
}

// Sends `m` (numbered) and arms one timer for its answer.
void ConsulRecipe::wait(Context& ctx, Message m, Duration timeout, const char* kind) {
  m.body()["req"] = ++req_;
  ctx.send(server_, std::move(m));
  ctx.cancel_timer(wait_timer_);
  wait_timer_ = ctx.set_timer(timeout, kind, req_);
}

void ConsulRecipe::create_session(Context& ctx) {
  session_ = 0;
  creating_session_ = true;
  wait(ctx, Message("create_session", Json::object()), s_.request_timeout, "consul.session_timeout");
}

void ConsulRecipe::acquire(Context& ctx, const OwnerId& owner) {
  owner_ = owner.str();
  if (!releasing_.empty()) {
    phase_ = Phase::kWaitingRelease;
    return;
  }
  if (session_ == 0) {
    phase_ = Phase::kWaitingSession;
    if (!creating_session_) create_session(ctx);
    return;
  }
  send_acquire(ctx);
}

void ConsulRecipe::send_acquire(Context& ctx) {
  phase_ = Phase::kAcquiring;
  wait(ctx, Message("acquire", json_object("session", session_,
                                           "owner", owner_)), s_.request_timeout,
       "consul.acquire_timeout");
}

void ConsulRecipe::on_acquire_result(Context& ctx, const Json& b) {
  if (b.value("ok", false)) {
    phase_ = Phase::kHolding;
    ctx.cancel_timer(wait_timer_);
    Grant g;
    g.owner = owner_;
    g.token = b.at("lock_index").get<int64_t>();
    listener_.on_granted(ctx, g);
  } else if (b.value("session_invalid", false)) {
    session_lost(ctx, "session_invalid");
  } else if (b.value("held", false)) {
    // A blocking query; it may wait until a lost notification would have come.
    phase_ = Phase::kWatching;
    wait(ctx, Message("watch", json_object("index", b.at("modify_index"))),
         s_.session_ttl + s_.lock_delay, "consul.watch_timeout");
  } else {
    phase_ = Phase::kRetrying;  // free but refused: the lock-delay
    ctx.cancel_timer(wait_timer_);
    wait_timer_ = ctx.set_timer(s_.lock_retry, "consul.retry", req_);
  }
}

void ConsulRecipe::session_lost(Context& ctx, const char* reason) {
  bool holding = phase_ == Phase::kHolding;
  bool was_waiting_release = phase_ == Phase::kWaitingRelease;
  releasing_.clear();  // the invalidation releases whatever the session held
  ctx.cancel_timer(release_timer_);
  if (was_waiting_release) phase_ = Phase::kWaitingSession;
  if (phase_ == Phase::kAcquiring || phase_ == Phase::kWatching || phase_ == Phase::kRetrying) {
    phase_ = Phase::kWaitingSession;
  }
  create_session(ctx);
  if (holding) listener_.on_lost(ctx, reason);
}

void ConsulRecipe::release(Context& ctx) {
  if (!creating_session_) ctx.cancel_timer(wait_timer_);
  phase_ = Phase::kIdle;
  if (session_ == 0) return;
  releasing_ = owner_;
  send_release(ctx);
}

void ConsulRecipe::send_release(Context& ctx) {
  ctx.send(server_, Message("release", json_object("session", session_, "owner", releasing_)));
  ctx.cancel_timer(release_timer_);
  release_timer_ = ctx.set_timer(s_.request_timeout, "consul.release_retry");
}

void ConsulRecipe::release_done(Context& ctx) {
  releasing_.clear();
  ctx.cancel_timer(release_timer_);
  if (phase_ != Phase::kWaitingRelease) return;
  if (session_ == 0) {
    phase_ = Phase::kWaitingSession;
    if (!creating_session_) create_session(ctx);
    return;
  }
  send_acquire(ctx);
}

bool ConsulRecipe::still_holds(Context& ctx) const {
  return phase_ == Phase::kHolding && session_alive(ctx);
}

bool ConsulRecipe::on_message(Context& ctx, NodeId, const Message& m) {
  const Json& b = m.body();
  bool current = b.is_object() && b.value("req", int64_t{-1}) == req_;
  if (m.type() == "session_created") {
    if (!current || !creating_session_) return true;
    creating_session_ = false;
    ctx.cancel_timer(wait_timer_);
    session_ = b.at("session").get<int64_t>();
    last_renewed_ = ctx.now();
    if (phase_ == Phase::kWaitingSession) send_acquire(ctx);
  } else if (m.type() == "renewed") {
    if (b.at("session").get<int64_t>() != session_) return true;
    if (b.at("valid").get<bool>()) {
      last_renewed_ = ctx.now();
    } else {
      session_lost(ctx, "session_invalid");
    }
  } else if (m.type() == "released") {
    if (b.value("owner", "") == releasing_ && b.at("session").get<int64_t>() == session_) release_done(ctx);
  } else if (m.type() == "acquire_result") {
    if (current && phase_ == Phase::kAcquiring) on_acquire_result(ctx, b);
  } else if (m.type() == "key_changed") {
    if (!current || phase_ != Phase::kWatching) return true;
    Json fields = json_object("server", ctx.cluster().name(server_));
    if (b.contains("release_id")) fields["release_id"] = b["release_id"];
    ctx.trace("woke", std::move(fields));
    send_acquire(ctx);
  } else {
    return false;
  }
  return true;
}

bool ConsulRecipe::on_timer(Context& ctx, const Timer& t) {
  if (t.kind == "consul.renew") {
    ctx.set_timer(s_.session_ttl / 2, "consul.renew");
    if (session_ == 0) return true;
    if (!session_alive(ctx)) {
      session_lost(ctx, "session_timeout");
    } else {
      ctx.send(server_, Message("renew", json_object("session", session_)));
    }
    return true;
  }
  if (t.kind == "consul.release_retry") {
    if (!releasing_.empty()) send_release(ctx);
    return true;
  }
  if (t.kind.rfind("consul.", 0) != 0) return false;
  if (t.arg != req_) return true;  // answered, or superseded
  if (t.kind == "consul.session_timeout" && creating_session_) {
    create_session(ctx);
  } else if ((t.kind == "consul.acquire_timeout" && phase_ == Phase::kAcquiring) ||
             (t.kind == "consul.watch_timeout" && phase_ == Phase::kWatching) ||
             (t.kind == "consul.retry" && phase_ == Phase::kRetrying)) {
    send_acquire(ctx);
  }
  return true;
}

}  // namespace dsim::locks
