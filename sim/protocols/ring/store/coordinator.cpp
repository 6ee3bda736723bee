#include "protocols/ring/store/coordinator.h"

#include <algorithm>

#include "core/json_object.h"

namespace dsim::ring {

void Coordinator::on_request(Context& ctx, NodeId client, const Message& m, const Ownership& ownership) {
  const int64_t op = next_op_++;
  Pending p;
  p.client = client;
  p.client_op = json_object("op", m.body().at("op"), "attempt", m.body().at("attempt"));
  p.is_put = m.type() == "put";
  p.key = m.body().at("key").get<size_t>();
  if (p.is_put) p.value = m.body().at("value").get<std::string>();
  auto replicas = ownership.replicas(p.key);
  p.replicas.assign(replicas.begin(), replicas.end());

  Json names = Json::array();
  for (NodeId r : p.replicas) names.push_back(ctx.cluster().name(r));
  ctx.trace("coordinate", json_object("op", op,
                                      "client", ctx.cluster().name(client),
                                      "client_op", p.client_op["op"],
                                      "kind", m.type(),
                                      "key", key_name(p.key),
                                      "replicas", names,
                                      "view_size", ownership.member_count()));
  const size_t needed = std::max(settings_.read_quorum, p.is_put ? settings_.write_quorum : 0);
  auto [it, inserted] = pending_.emplace(op, std::move(p));
  if (it->second.replicas.size() < needed) {
    finish(ctx, op, "unavailable");  // this view has too few nodes for a quorum
    return;
  }
  start_phase(ctx, op, it->second);
}

void Coordinator::start_phase(Context& ctx, int64_t op, Pending& p) {
  p.answered.clear();
  ctx.cancel_timer(p.timer);
  p.timer = ctx.set_timer(settings_.request_timeout, "op_timeout", op);
  for (NodeId r : p.replicas) {
    if (p.phase == Phase::kRead) {
      ctx.send(r, Message("read", json_object("op", op, "key", p.key)));
    } else {
      Json body = ReplicaData::to_json(Versioned{p.value, p.written});
      body["op"] = op;
      body["key"] = p.key;
      ctx.send(r, Message("write", std::move(body)));
    }
  }
}

void Coordinator::on_reply(Context& ctx, NodeId from, const Message& m) {
  const int64_t op = m.body().at("op").get<int64_t>();
  auto it = pending_.find(op);
  if (it == pending_.end()) return;  // late: the operation already finished
  Pending& p = it->second;
  const bool read_reply = m.type() == "read_ok";
  if (read_reply != (p.phase == Phase::kRead)) return;  // a duplicate from an earlier phase
  if (std::find(p.answered.begin(), p.answered.end(), from) != p.answered.end()) return;
  p.answered.push_back(from);
  if (read_reply && m.body().at("found").get<bool>()) {
    Versioned v = ReplicaData::from_json(m.body());
    if (!p.newest || p.newest->version < v.version) p.newest = v;
  }
  if (read_reply && p.answered.size() >= settings_.read_quorum) {
    if (!p.is_put) {
      finish(ctx, op, "ok");
      return;
    }
    p.phase = Phase::kWrite;
    p.written = Version{(p.newest ? p.newest->version.counter : 0) + 1, ctx.self()};
    start_phase(ctx, op, p);
  } else if (!read_reply && p.answered.size() >= settings_.write_quorum) {
    finish(ctx, op, "ok");
  }
}

void Coordinator::on_timeout(Context& ctx, int64_t op) {
  if (pending_.count(op) != 0) finish(ctx, op, "unavailable");
}

void Coordinator::finish(Context& ctx, int64_t op, const std::string& outcome) {
  Pending& p = pending_.at(op);
  ctx.cancel_timer(p.timer);
  Json body = p.client_op;
  body["outcome"] = outcome;
  if (outcome == "ok" && p.is_put) {
    body["vc"] = p.written.counter;
    body["vn"] = p.written.node;
  } else if (outcome == "ok") {
    body["found"] = p.newest.has_value();
    if (p.newest) {
      body["value"] = p.newest->value;
      body["vc"] = p.newest->version.counter;
      body["vn"] = p.newest->version.node;
    }
  }
  ctx.send(p.client, Message("reply", std::move(body)));
  pending_.erase(op);
}

}  // namespace dsim::ring
