#include "protocols/locks/seed_server.h"

#include "protocols/locks/events.h"
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
    ctx.trace(events::Grant{owner, ctx.cluster().name(from), token});
    ctx.send(from, AcquireOk{owner, req, token});
  } else if (const auto* r = m.as<ReleaseRequest>()) {
    const std::string& owner = r->owner;
    if (holder_) {
      ctx.trace(events::Freed{holder_->owner, ctx.cluster().name(holder_->client), "release", std::nullopt,
                              owner, ctx.cluster().name(from)});
      holder_.reset();
    }
    ctx.send(from, ReleaseOk{owner});
  }
}

}  // namespace dsim::locks
