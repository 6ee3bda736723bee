#include "protocols/locks/checks/token_order_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void TokenOrderCheck::observe(const Observation& o, CheckerView& view) {
  const LockGrant* g = shared_->observe(o, view.cluster());
  if (const auto* grant = o.as<events::Grant>()) {
    if (lock_servers_.contains(o.node, view.cluster())) check_server(o, *grant, view);
  }
  if (g != nullptr && g->token) check_lock(*g, view);
}

void TokenOrderCheck::check_server(const Observation& o, const events::Grant& grant, CheckerView& view) {
  if (!grant.token) return;
  ++tokens_seen_;
  LastGrant now{std::string(grant.owner), std::string(grant.client), *grant.token};
  auto it = last_by_server_.find(o.node);
  if (it != last_by_server_.end()) {
    const LastGrant& before = it->second;
    bool same_grant_again = before.owner == now.owner && before.token == now.token;  // after a restart
    // Consul: the holding session acquiring again keeps its sequencer (index, session).
    bool same_session = grant.same_session && now.token == before.token;
    if (!same_grant_again && !same_session && now.token <= before.token) {
      const std::string server = view.cluster().name(o.node);
      Violation v;
      v.check = "token_order";
      v.at = o.at;
      v.nodes = {server, before.client, now.client};
      v.message = server + " granted token " + std::to_string(now.token) + " to " + now.client + " (" +
                  now.owner + ") after token " + std::to_string(before.token) + " to " + before.client +
                  " (" + before.owner + "): its tokens went back";
      v.details = json_object("server", server,
                              "token", now.token,
                              "owner", now.owner,
                              "previous_token", before.token,
                              "previous_owner", before.owner);
      view.report(std::move(v));
    }
  }
  last_by_server_[o.node] = now;
}

void TokenOrderCheck::check_lock(const LockGrant& g, CheckerView& view) {
  bool same_sequencer = g.same_session && last_lock_grant_ && *g.token == *last_lock_grant_->token;
  if (last_lock_grant_ && !same_sequencer && *g.token <= *last_lock_grant_->token) {
    const LockGrant& before = *last_lock_grant_;
    Violation v;
    v.check = "token_order";
    v.at = g.at;
    v.nodes = {before.client, g.client};
    v.message = "the lock passed from " + before.client + " (" + before.owner + ", token " +
                std::to_string(*before.token) + ") to " + g.client + " (" + g.owner + ") with token " +
                std::to_string(*g.token) + ", not a larger one";
    v.details = json_object("token", *g.token,
                            "owner", g.owner,
                            "grant_ns", g.at.ns,
                            "previous_token", *before.token,
                            "previous_owner", before.owner,
                            "previous_grant_ns", before.at.ns);
    view.report(std::move(v));
  }
  last_lock_grant_ = g;
}

void TokenOrderCheck::write_metrics(Json& out) const {
  out["server_tokens_seen"] = tokens_seen_;
  out["lock_grants"] = shared_->ledger().size();
}

}  // namespace dsim::locks
