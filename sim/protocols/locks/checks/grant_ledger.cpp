#include "protocols/locks/checks/grant_ledger.h"

#include <algorithm>

namespace dsim::locks {

void GrantLedger::drop(NodeId server, const std::string& owner) {
  auto it = holds_.find(owner);
  if (it == holds_.end()) return;
  Holds& h = it->second;
  h.servers.erase(server);
  if (h.servers.size() < quorum_) h.granted = false;
  if (h.servers.empty()) holds_.erase(it);
}

const LockGrant* GrantLedger::observe(const Observation& o, const Cluster& cluster) {
  if (!o.from_protocol) {
    if (o.event != "crash" || !lock_servers_.contains(o.node, cluster)) return nullptr;
    // Whatever the server held is in doubt until it says what it recovered.
    auto held = held_at_.find(o.node);
    if (held == held_at_.end()) return nullptr;
    for (const std::string& owner : held->second) drop(o.node, owner);
    held_at_.erase(held);
    return nullptr;
  }
  if (const auto* freed = o.as<events::Freed>()) {
    if (!lock_servers_.contains(o.node, cluster)) return nullptr;
    auto held = held_at_.find(o.node);
    if (held != held_at_.end()) {
      auto owner = held->second.find(freed->owner);
      if (owner != held->second.end()) {
        drop(o.node, *owner);
        held->second.erase(owner);
      }
    }
    return nullptr;
  }
  const auto* grant = o.as<events::Grant>();
  if (grant == nullptr || !lock_servers_.contains(o.node, cluster)) return nullptr;
  return on_grant(o, *grant);
}

const LockGrant* GrantLedger::on_grant(const Observation& o, const events::Grant& grant) {
  auto found = holds_.find(grant.owner);
  if (found == holds_.end()) found = holds_.emplace(std::string(grant.owner), Holds{}).first;
  Holds& h = found->second;
  if (!h.servers.insert(o.node).second) return nullptr;  // announced again: nothing new
  held_at_[o.node].insert(found->first);
  if (h.granted) return nullptr;
  if (grant.token) h.token = std::max(h.token.value_or(*grant.token), *grant.token);
  if (h.servers.size() < quorum_) return nullptr;
  h.granted = true;
  if (grant.restored && latest_by_owner_.count(grant.owner) != 0) return nullptr;  // the same hold, back
  LockGrant g;
  g.owner = found->first;
  g.client = std::string(grant.client);
  g.at = o.at;
  g.order = static_cast<int64_t>(grants_.size());
  g.token = h.token;
  g.same_session = grant.same_session;
  latest_by_owner_[g.owner] = grants_.size();
  grants_.push_back(std::move(g));
  return &grants_.back();
}

const LockGrant* GrantLedger::find(std::string_view owner) const {
  auto it = latest_by_owner_.find(owner);
  return it == latest_by_owner_.end() ? nullptr : &grants_[it->second];
}

}  // namespace dsim::locks
