#include "protocols/locks/checks/grant_ledger.h"

#include <algorithm>

namespace dsim::locks {

std::optional<int64_t> token_of(const Json& fields) {
  auto it = fields.find("token");
  if (it == fields.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

const LockGrant* GrantLedger::observe(const Observation& o, const Cluster& cluster) {
  if (o.node == kNoNode || cluster.role(o.node) != "lock") return nullptr;
  if (!o.from_protocol) {
    if (o.event != "crash") return nullptr;
    // Whatever the server held is in doubt until it says what it recovered.
    for (const std::string& owner : held_at_[o.node]) {
      Holds& h = holds_[owner];
      h.servers.erase(o.node);
      if (h.servers.size() < quorum_) h.granted = false;
      if (h.servers.empty()) holds_.erase(owner);
    }
    held_at_.erase(o.node);
    return nullptr;
  }
  if (o.event == "freed") {
    const std::string owner = o.fields().at("owner").get<std::string>();
    Holds& h = holds_[owner];
    h.servers.erase(o.node);
    held_at_[o.node].erase(owner);
    if (h.servers.size() < quorum_) h.granted = false;
    if (h.servers.empty()) holds_.erase(owner);
    return nullptr;
  }
  if (o.event != "grant") return nullptr;
  return on_grant(o, o.fields().at("owner").get<std::string>());
}

const LockGrant* GrantLedger::on_grant(const Observation& o, const std::string& owner) {
  Holds& h = holds_[owner];
  if (!h.servers.insert(o.node).second) return nullptr;  // announced again: nothing new
  held_at_[o.node].insert(owner);
  if (h.granted) return nullptr;
  if (std::optional<int64_t> t = token_of(o.fields())) h.token = std::max(h.token.value_or(*t), *t);
  if (h.servers.size() < quorum_) return nullptr;
  h.granted = true;
  bool restored = o.fields().value("restored", false);
  if (restored && latest_by_owner_.count(owner) != 0) return nullptr;  // the same hold, back
  LockGrant g;
  g.owner = owner;
  g.client = o.fields().value("client", "");
  g.at = o.at;
  g.order = static_cast<int64_t>(grants_.size());
  g.token = h.token;
  g.same_session = o.fields().value("same_session", false);
  latest_by_owner_[owner] = grants_.size();
  grants_.push_back(std::move(g));
  return &grants_.back();
}

const LockGrant* GrantLedger::find(const std::string& owner) const {
  auto it = latest_by_owner_.find(owner);
  return it == latest_by_owner_.end() ? nullptr : &grants_[it->second];
}

}  // namespace dsim::locks
