#include "protocols/locks/resource_server.h"

#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/records.h"

namespace dsim::locks {

void ResourceServer::on_start(Context& ctx) {
  const Payload* saved = ctx.storage().get_record("highest_token");
  if (const auto* highest = saved != nullptr ? saved->as<rec::HighestToken>() : nullptr) highest_token_ = highest->token;
}

void ResourceServer::on_message(Context& ctx, NodeId from, const Message& m) {
  const auto* w = m.as<WriteRequest>();
  if (w == nullptr) return;
  events::WriteVerdict verdict{w->owner, ctx.cluster().name(from), w->n, w->token, std::nullopt};
  bool accept = true;
  if (fencing_) {
    accept = w->token && *w->token >= highest_token_;
    verdict.highest_token = highest_token_;
  }
  if (accept && fencing_ && *w->token > highest_token_) {
    highest_token_ = *w->token;
    ctx.storage().put("highest_token", rec::HighestToken{highest_token_});
    ctx.storage().sync();
  }
  if (accept) {
    ctx.trace(events::WriteAccepted{verdict});
    ctx.send(from, WriteOk{w->owner, w->n});
  } else {
    ctx.trace(events::WriteRejected{verdict});
    ctx.send(from, WriteRejected{w->owner, w->n});
  }
}

}  // namespace dsim::locks
