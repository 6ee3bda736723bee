#include "protocols/locks/resource_server.h"

#include "core/json_object.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

void ResourceServer::on_start(Context& ctx) {
  if (std::optional<Json> saved = ctx.storage().get("highest_token")) highest_token_ = saved->get<int64_t>();
}

void ResourceServer::on_message(Context& ctx, NodeId from, const Message& m) {
  const auto* w = m.as<WriteRequest>();
  if (w == nullptr) return;
  Json fields = json_object("owner", w->owner,
                            "client", ctx.cluster().name(from),
                            "n", w->n);
  if (w->token) fields["token"] = *w->token;
  bool accept = true;
  if (fencing_) {
    accept = w->token && *w->token >= highest_token_;
    fields["highest_token"] = highest_token_;
  }
  if (accept && fencing_ && *w->token > highest_token_) {
    highest_token_ = *w->token;
    ctx.storage().put("highest_token", highest_token_);
    ctx.storage().sync();
  }
  ctx.trace(accept ? "write_accepted" : "write_rejected", std::move(fields));
  if (accept) {
    ctx.send(from, WriteOk{w->owner, w->n});
  } else {
    ctx.send(from, WriteRejected{w->owner, w->n});
  }
}

}  // namespace dsim::locks
