#include "protocols/locks/checks/grant_ledger.h"

#include <algorithm>

namespace dsim::locks {

bool GrantLedger::drop(size_t i, NodeId server) {
  Holds& h = holds_[i];
  auto it = std::find(h.servers.begin(), h.servers.end(), server);
  if (it == h.servers.end()) return false;
  h.servers.erase(it);
  if (h.servers.size() < quorum_) h.granted = false;
  if (h.servers.empty()) holds_.erase(holds_.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

const LockGrant* GrantLedger::observe(const Observation& o, const Cluster& cluster) {
  if (!o.from_protocol) {
    if (o.event != "crash" || !lock_servers_.contains(o.node, cluster)) return nullptr;
    // Whatever the server held is in doubt until it says what it recovered.
    for (size_t i = holds_.size(); i-- > 0;) drop(i, o.node);
    return nullptr;
  }
  if (const auto* freed = o.as<events::Freed>()) {
    if (!lock_servers_.contains(o.node, cluster)) return nullptr;
    for (size_t i = 0; i < holds_.size(); ++i) {
      if (holds_[i].owner == freed->owner) {
        drop(i, o.node);
        break;
      }
    }
    return nullptr;
  }
  const auto* grant = o.as<events::Grant>();
  if (grant == nullptr || !lock_servers_.contains(o.node, cluster)) return nullptr;
  return on_grant(o, *grant);
}

const LockGrant* GrantLedger::on_grant(const Observation& o, const events::Grant& grant) {
  auto found = std::find_if(holds_.begin(), holds_.end(), [&](const Holds& h) { return h.owner == grant.owner; });
  if (found == holds_.end()) {
    holds_.push_back(Holds{std::string(grant.owner), {}, std::nullopt, false});
    found = holds_.end() - 1;
  }
  Holds& h = *found;
  if (std::find(h.servers.begin(), h.servers.end(), o.node) != h.servers.end()) return nullptr;  // announced again
  h.servers.push_back(o.node);
  if (h.granted) return nullptr;
  if (grant.token) h.token = std::max(h.token.value_or(*grant.token), *grant.token);
  if (h.servers.size() < quorum_) return nullptr;
  h.granted = true;
  if (grant.restored && latest_by_owner_.count(grant.owner) != 0) return nullptr;  // the same hold, back
  LockGrant g;
  g.owner = h.owner;
  g.client = std::string(grant.client);
  g.at = o.at;
  g.order = static_cast<int64_t>(grants_.size());
  g.token = h.token;
  g.same_session = grant.same_session;
  latest_by_owner_[g.owner] = grants_.size();
  if (grants_.empty()) grants_.reserve(64);  // a run's first few dozen grants without moving them
  grants_.push_back(std::move(g));
  return &grants_.back();
}

const LockGrant* GrantLedger::find(std::string_view owner) const {
  // Most lookups are for the latest grant's owner (its writes): no map search for those.
  if (!grants_.empty() && grants_.back().owner == owner) return &grants_.back();
  auto it = latest_by_owner_.find(owner);
  return it == latest_by_owner_.end() ? nullptr : &grants_[it->second];
}

}  // namespace dsim::locks
