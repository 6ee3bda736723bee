#include "protocols/locks/seed_server.h"

#include "core/json_object.h"
#include "protocols/locks/messages.h"

namespace dsim::locks {

void SeedServer::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* a = m.as<AcquireRequest>()) {
    const std::string& owner = a->owner;
    int64_t req = a->has_req ? a->req : 0;
    if (holder_) {
      ctx.send(from, AcquireBusy{owner, req});
      return;
    }
    holder_ = Holder{owner, from};
    std::optional<int64_t> token;
    if (issue_tokens_) token = ++grants_;
    Json grant = json_object("owner", owner, "client", ctx.cluster().name(from));
    if (token) grant["token"] = *token;
    ctx.trace("grant", std::move(grant));
    ctx.send(from, AcquireOk{owner, req, token});
  } else if (const auto* r = m.as<ReleaseRequest>()) {
    const std::string& owner = r->owner;
    if (holder_) {
      ctx.trace("freed", json_object("owner", holder_->owner,
                                     "client", ctx.cluster().name(holder_->client),
                                     "cause", "release",
                                     "by", owner,
                                     "by_client", ctx.cluster().name(from)));
      holder_.reset();
    }
    ctx.send(from, ReleaseOk{owner});
  }
}

}  // namespace dsim::locks
