#include "protocols/locks/resource_server.h"

#include "core/json_object.h"

namespace dsim::locks {

void ResourceServer::on_start(Context& ctx) {
  if (std::optional<Json> saved = ctx.storage().get("highest_token")) highest_token_ = saved->get<int64_t>();
}

void ResourceServer::on_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() != "write") return;
  const Json& b = m.body();
  Json fields = json_object("owner", b.at("owner"),
                            "client", ctx.cluster().name(from),
                            "n", b.at("n"));
  if (b.contains("token")) fields["token"] = b["token"];
  bool accept = true;
  if (fencing_) {
    accept = b.contains("token") && b["token"].get<int64_t>() >= highest_token_;
    fields["highest_token"] = highest_token_;
  }
  if (accept && fencing_ && b["token"].get<int64_t>() > highest_token_) {
    highest_token_ = b["token"].get<int64_t>();
    ctx.storage().put("highest_token", highest_token_);
    ctx.storage().sync();
  }
  ctx.trace(accept ? "write_accepted" : "write_rejected", std::move(fields));
  ctx.send(from, Message(accept ? "write_ok" : "write_rejected", json_object(
      "owner", b.at("owner"),
      "n", b.at("n"))));
}

}  // namespace dsim::locks
