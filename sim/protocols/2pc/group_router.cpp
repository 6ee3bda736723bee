#include "protocols/2pc/group_router.h"

#include "protocols/2pc/group_context.h"
#include "protocols/2pc/replication.h"

namespace dsim::twopc {

GroupRouter::GroupRouter(std::shared_ptr<const Settings> settings, std::unique_ptr<Process> inner)
    : s_(std::move(settings)), inner_(std::move(inner)) {}

NodeId GroupRouter::route(NodeId group) const {
  auto it = route_.find(group);
  return it == route_.end() ? group : it->second;
}

void GroupRouter::on_start(Context& ctx) {
  GroupContext g(ctx, ctx.self(), [&](NodeId to, Message m) { ctx.send(route(to), std::move(m)); }, nullptr);
  inner_->on_start(g);
}

void GroupRouter::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* p = m.as<msg::NewPrimary>()) {
    route_[p->group] = p->primary;
    return;
  }
  GroupContext g(ctx, ctx.self(), [&](NodeId to, Message out) { ctx.send(route(to), std::move(out)); }, nullptr);
  inner_->on_message(g, s_->replication.group_of(from), m);
}

void GroupRouter::on_timer(Context& ctx, const Timer& t) {
  GroupContext g(ctx, ctx.self(), [&](NodeId to, Message m) { ctx.send(route(to), std::move(m)); }, nullptr);
  inner_->on_timer(g, t);
}

}  // namespace dsim::twopc
