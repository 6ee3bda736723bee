#include "protocols/locks/checks/owner_release_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void OwnerReleaseCheck::observe(const Observation& o, CheckerView& view) {
  if (!o.from_protocol) return;
  const auto* grant = o.as<events::Grant>();
  const auto* freed = grant == nullptr ? o.as<events::Freed>() : nullptr;
  if ((grant == nullptr && freed == nullptr) || !lock_servers_.contains(o.node, view.cluster())) return;
  if (grant != nullptr) {
    Holder& holder = holders_[o.node];
    holder.owner = grant->owner;
    holder.client = grant->client;
    return;
  }
  auto it = holders_.find(o.node);
  if (it != holders_.end() && freed->by_a_client()) {
    ++releases_;
    const Holder& holder = it->second;
    if (freed->by != holder.owner) {
      const std::string by(freed->by);
      const std::string server = view.cluster().name(o.node);
      const std::string by_client(freed->by_client);
      Violation v;
      v.check = "owner_release";
      v.at = o.at;
      v.nodes = {by_client, holder.client, server};
      v.message = by_client + " (" + by + ") released the lock on " + server + " while " + holder.client +
                  " (" + holder.owner + ") held it";
      v.details = json_object("server", server,
                              "released_by", by,
                              "released_by_client", by_client,
                              "holder_owner", holder.owner,
                              "holder", holder.client);
      view.report(std::move(v));
    }
  }
  holders_.erase(o.node);
}

}  // namespace dsim::locks
