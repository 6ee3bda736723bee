#include "protocols/ring/store/coordinator.h"

#include <algorithm>

#include "protocols/ring/events.h"

namespace dsim::ring {

void Coordinator::on_get(Context& ctx, NodeId client, const Get& m, const Ownership& ownership) {
  Pending p;
  p.client = client;
  p.client_op = m.op;
  p.attempt = m.attempt;
  p.is_put = false;
  p.key = m.key;
  on_request(ctx, client, std::move(p), ownership);
}

void Coordinator::on_put(Context& ctx, NodeId client, const Put& m, const Ownership& ownership) {
  Pending p;
  p.client = client;
  p.client_op = m.op;
  p.attempt = m.attempt;
  p.is_put = true;
  p.key = m.key;
  p.value = m.value;
  on_request(ctx, client, std::move(p), ownership);
}

void Coordinator::on_request(Context& ctx, NodeId client, Pending p, const Ownership& ownership) {
  const int64_t op = next_op_++;
  auto replicas = ownership.replicas(p.key);
  p.replicas.assign(replicas.begin(), replicas.end());
  ctx.trace(Coordinate{&ctx.cluster(), op, client, p.client_op, p.is_put ? OpKind::kPut : OpKind::kGet, p.key,
                       p.replicas, ownership.member_count()});
  const size_t needed = std::max(settings_.read_quorum, p.is_put ? settings_.write_quorum : 0);
  auto [it, inserted] = pending_.emplace(op, std::move(p));
  if (it->second.replicas.size() < needed) {
    finish(ctx, op, ReplyOutcome::kUnavailable);  // this view has too few nodes for a quorum
    return;
  }
  start_phase(ctx, op, it->second);
}

void Coordinator::start_phase(Context& ctx, int64_t op, Pending& p) {
  p.answered.clear();
  ctx.cancel_timer(p.timer);
  p.timer = ctx.set_timer(settings_.request_timeout, StoreTimer::kOpTimeout, op);
  for (NodeId r : p.replicas) {
    if (p.phase == Phase::kRead) {
      ctx.send(r, Read{op, p.key});
    } else {
      ctx.send(r, Write{p.value, p.written.counter, op, static_cast<uint32_t>(p.key), p.written.node});
    }
  }
}

bool Coordinator::first_answer(Pending& p, NodeId from, bool read_reply) {
  if (read_reply != (p.phase == Phase::kRead)) return false;  // a duplicate from an earlier phase
  if (std::find(p.answered.begin(), p.answered.end(), from) != p.answered.end()) return false;
  p.answered.push_back(from);
  return true;
}

void Coordinator::on_read_ok(Context& ctx, NodeId from, const ReadOk& m) {
  auto it = pending_.find(m.op);
  if (it == pending_.end()) return;  // late: the operation already finished
  Pending& p = it->second;
  if (!first_answer(p, from, /*read_reply=*/true)) return;
  if (m.found) {
    Version v{m.vc, m.vn};
    if (!p.newest || p.newest->version < v) p.newest = Versioned{m.value, v};
  }
  if (p.answered.size() < settings_.read_quorum) return;
  if (!p.is_put) {
    finish(ctx, m.op, ReplyOutcome::kOk);
    return;
  }
  p.phase = Phase::kWrite;
  p.written = Version{(p.newest ? p.newest->version.counter : 0) + 1, ctx.self()};
  start_phase(ctx, m.op, p);
}

void Coordinator::on_write_ok(Context& ctx, NodeId from, const WriteOk& m) {
  auto it = pending_.find(m.op);
  if (it == pending_.end()) return;  // late: the operation already finished
  Pending& p = it->second;
  if (!first_answer(p, from, /*read_reply=*/false)) return;
  if (p.answered.size() >= settings_.write_quorum) finish(ctx, m.op, ReplyOutcome::kOk);
}

void Coordinator::on_timeout(Context& ctx, int64_t op) {
  if (pending_.count(op) != 0) finish(ctx, op, ReplyOutcome::kUnavailable);
}

void Coordinator::finish(Context& ctx, int64_t op, ReplyOutcome outcome) {
  Pending& p = pending_.at(op);
  ctx.cancel_timer(p.timer);
  Reply r;
  r.op = p.client_op;
  r.attempt = static_cast<uint16_t>(p.attempt);
  r.outcome = outcome;
  r.is_put = p.is_put;
  if (outcome == ReplyOutcome::kOk && p.is_put) {
    r.vc = p.written.counter;
    r.vn = p.written.node;
  } else if (outcome == ReplyOutcome::kOk && p.newest) {
    r.found = true;
    r.value = std::move(p.newest->value);
    r.vc = p.newest->version.counter;
    r.vn = p.newest->version.node;
  }
  ctx.send(p.client, std::move(r));
  pending_.erase(op);
}

}  // namespace dsim::ring
