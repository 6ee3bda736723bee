#include "protocols/heartbeat/node.h"

#include "protocols/heartbeat/events.h"
#include "protocols/heartbeat/messages.h"

namespace dsim::heartbeat {

void HeartbeatNode::on_start(Context& ctx) {
  const size_t n = ctx.cluster().size();
  last_heard_.assign(n, ctx.now());
  suspected_.assign(n, false);
  tick(ctx);
}

void HeartbeatNode::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* ping = m.as<Ping>()) {
    ctx.send(from, Pong{ping->round});
    return;
  }
  if (!m.is<Pong>()) return;
  last_heard_[from] = ctx.now();
  if (suspected_[from]) {
    suspected_[from] = false;
    ctx.trace(Trust{from, ctx.cluster().name(from)});
  }
}

void HeartbeatNode::on_timer(Context& ctx, const Timer& t) {
  if (t.is(HeartbeatTimer::kTick)) tick(ctx);
}

void HeartbeatNode::tick(Context& ctx) {
  ++round_;
  const Instant now = ctx.now();
  for (NodeId peer = 0; peer < ctx.cluster().size(); ++peer) {
    if (peer == ctx.self()) continue;
    ctx.send(peer, Ping{round_});
    // Local clock arithmetic: a jump or drift on this node bends its judgement, as it
    // would on a real machine.
    if (!suspected_[peer] && now - last_heard_[peer] > s_.timeout) {
      suspected_[peer] = true;
      ctx.trace(Suspect{peer, ctx.cluster().name(peer), (now - last_heard_[peer]).ns});
    }
  }
  ctx.set_timer(s_.interval, HeartbeatTimer::kTick);
}

}  // namespace dsim::heartbeat
