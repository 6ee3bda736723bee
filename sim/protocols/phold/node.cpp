#include "protocols/phold/node.h"

#include "protocols/phold/events.h"
#include "protocols/phold/messages.h"

namespace dsim::phold {

void PholdNode::on_start(Context& ctx) {
  // Only the first boot creates tokens; a restarted node just forwards what arrives.
  if (ctx.incarnation() > 0) return;
  ctx.trace(TokensCreated{tokens_});
  for (int64_t i = 0; i < tokens_; ++i) forward(ctx);
}

void PholdNode::on_message(Context& ctx, NodeId, const Message&) { forward(ctx); }

void PholdNode::forward(Context& ctx) {
  NodeId to = static_cast<NodeId>(ctx.rng().uniform(ctx.cluster().size()));
  ctx.send(to, Token{});
}

}  // namespace dsim::phold
