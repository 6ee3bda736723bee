#include "protocols/locks/checks/owner_release_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void OwnerReleaseCheck::observe(const Observation& o, CheckerView& view) {
  if (!o.from_protocol || view.cluster().role(o.node) != "lock") return;
  if (o.event == "grant") {
    holders_[o.node] = Holder{o.fields().at("owner").get<std::string>(), o.fields().value("client", "")};
    return;
  }
  if (o.event != "freed") return;
  auto it = holders_.find(o.node);
  if (it != holders_.end() && o.fields().contains("by")) {
    ++releases_;
    const Holder& holder = it->second;
    const std::string by = o.fields()["by"].get<std::string>();
    if (by != holder.owner) {
      const std::string server = view.cluster().name(o.node);
      const std::string by_client = o.fields().value("by_client", "");
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
