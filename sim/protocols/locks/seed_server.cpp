#include "protocols/locks/seed_server.h"

#include "core/json_object.h"

namespace dsim::locks {

void SeedServer::on_message(Context& ctx, NodeId from, const Message& m) {
  const std::string owner = m.body().value("owner", "");
  if (m.type() == "acquire") {
    Json reply = json_object("owner", owner, "req", m.body().value("req", int64_t{0}));
    if (holder_) {
      ctx.send(from, Message("acquire_busy", std::move(reply)));
      return;
    }
    holder_ = Holder{owner, from};
    Json grant = json_object("owner", owner, "client", ctx.cluster().name(from));
    if (issue_tokens_) {
      reply["token"] = ++grants_;
      grant["token"] = grants_;
    }
    ctx.trace("grant", std::move(grant));
    ctx.send(from, Message("acquire_ok", std::move(reply)));
  } else if (m.type() == "release") {
    if (holder_) {
      ctx.trace("freed", json_object("owner", holder_->owner,
                                     "client", ctx.cluster().name(holder_->client),
                                     "cause", "release",
                                     "by", owner,
                                     "by_client", ctx.cluster().name(from)));
      holder_.reset();
    }
    ctx.send(from, Message("release_ok", json_object("owner", owner)));
  }
}

}  // namespace dsim::locks
