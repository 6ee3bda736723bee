#include "protocols/ring/store/coordinator.h"

#include <algorithm>

#include "protocols/ring/events.h"

namespace dsim::ring {

Coordinator::Pending& Coordinator::begin(int64_t op, NodeId client, int64_t client_op, int64_t attempt, bool is_put,
                                         size_t key) {
  Pending& p = pending_.insert(op);
  p.client = client;
  p.client_op = client_op;
  p.attempt = attempt;
  p.is_put = is_put;
  p.key = key;
  p.value.clear();
  p.replicas.clear();
  p.phase = Phase::kRead;
  p.answered.clear();
  p.newest.reset();
  p.written = Version{};
  p.timer = 0;
  return p;
}

void Coordinator::on_get(Context& ctx, NodeId client, const Get& m, const Ownership& ownership) {
  const int64_t op = next_op_++;
  on_request(ctx, op, begin(op, client, m.op, m.attempt, /*is_put=*/false, m.key), ownership);
}

void Coordinator::on_put(Context& ctx, NodeId client, const Put& m, const Ownership& ownership) {
  const int64_t op = next_op_++;
  Pending& p = begin(op, client, m.op, m.attempt, /*is_put=*/true, m.key);
  p.value = m.value;
  on_request(ctx, op, p, ownership);
}

void Coordinator::on_request(Context& ctx, int64_t op, Pending& p, const Ownership& ownership) {
  const std::span<const NodeId> replicas = ownership.replicas(p.key);
  p.replicas.assign(replicas.begin(), replicas.end());
  ctx.trace(Coordinate{&ctx.cluster(), op, p.client, p.client_op, p.is_put ? OpKind::kPut : OpKind::kGet, p.key,
                       std::vector<NodeId>(p.replicas.begin(), p.replicas.end()), ownership.member_count()});
  const size_t needed = std::max(settings_.read_quorum, p.is_put ? settings_.write_quorum : 0);
  if (p.replicas.size() < needed) {
    finish(ctx, op, ReplyOutcome::kUnavailable);  // this view has too few nodes for a quorum
    return;
  }
  start_phase(ctx, op, p);
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
  Pending* found = pending_.find(m.op);
  if (found == nullptr) return;  // late: the operation already finished
  Pending& p = *found;
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
  Pending* found = pending_.find(m.op);
  if (found == nullptr) return;  // late: the operation already finished
  Pending& p = *found;
  if (!first_answer(p, from, /*read_reply=*/false)) return;
  if (p.answered.size() >= settings_.write_quorum) finish(ctx, m.op, ReplyOutcome::kOk);
}

void Coordinator::on_timeout(Context& ctx, int64_t op) {
  if (pending_.find(op) != nullptr) finish(ctx, op, ReplyOutcome::kUnavailable);
}

void Coordinator::finish(Context& ctx, int64_t op, ReplyOutcome outcome) {
  Pending& p = *pending_.find(op);
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
