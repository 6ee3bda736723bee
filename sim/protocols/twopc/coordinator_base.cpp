#include "protocols/twopc/coordinator_base.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

CoordinatorBase::CoordinatorBase(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

std::optional<CoordinatorBase::Phase> CoordinatorBase::phase_of(const std::string& tx) const {
  auto it = txs_.find(tx);
  if (it == txs_.end()) return std::nullopt;
  return it->second.phase;
}

std::vector<std::string> CoordinatorBase::open_transactions() const {
  std::vector<std::string> out;
  for (const auto& [id, tx] : txs_) out.push_back(id);
  return out;
}

CoordinatorBase::Tx* CoordinatorBase::find(const std::string& id) {
  auto it = txs_.find(id);
  return it == txs_.end() ? nullptr : &it->second;
}

CoordinatorBase::Tx& CoordinatorBase::adopt(const std::string& id, std::vector<NodeId> participants) {
  Tx& tx = txs_[id];
  tx.id = id;
  tx.participants = std::move(participants);
  handles_.handle_of(id);
  return tx;
}

Json CoordinatorBase::names(Context& ctx, const std::vector<NodeId>& nodes) const {
  Json out = Json::array();
  for (NodeId n : nodes) out.push_back(ctx.cluster().name(n));
  return out;
}

void CoordinatorBase::on_start(Context& ctx) {
  if (ctx.incarnation() > 0) on_recover(ctx);
}

void CoordinatorBase::on_recover(Context& ctx) {
  ctx.trace("recovered", json_object("decisions", Json::object(),
                                     "collecting", Json::array(),
                                     "presumption", to_string(s_->rules.presumption)));
}

void CoordinatorBase::on_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kBegin) {
    on_begin(ctx, from, m.body());
  } else if (m.type() == msg::kExecuted) {
    on_executed(ctx, from, m.body());
  } else {
    on_protocol_message(ctx, from, m);
  }
}

void CoordinatorBase::on_timer(Context& ctx, const Timer& t) {
  auto id = handles_.tx_of(t.arg);
  Tx* tx = id ? find(*id) : nullptr;
  if (tx != nullptr && t.id != tx->timer) return;  // superseded
  if (tx != nullptr) tx->timer = 0;
  if (t.kind == "vote_timeout" && tx != nullptr) {
    if (tx->phase == Phase::kExecuting) abort_execution(ctx, *tx, kNoNode, "timeout");
    else if (tx->phase == Phase::kVoting) on_vote_timeout(ctx, *tx);
    return;
  }
  on_protocol_timer(ctx, t, tx);
}

// ------------------------------------------------------------------- execution phase

void CoordinatorBase::on_begin(Context& ctx, NodeId from, const Json& body) {
  std::string request = body.at("request").get<std::string>();
  if (requests_.count(request) != 0) return;  // a duplicate of a request it already took
  std::string id = ctx.name() + "." + std::to_string(ctx.incarnation()) + "." + std::to_string(next_seq_++);
  requests_[request] = id;
  Tx& tx = txs_[id];
  tx.id = id;
  tx.request = request;
  tx.client = from;
  Json writers = Json::array();
  const Json& ops = body.at("ops");
  for (auto it = ops.begin(); it != ops.end(); ++it) {
    NodeId p = *ctx.cluster().find(it.key());
    tx.participants.push_back(p);
    tx.ops[p] = ops_from_json(it.value());
    if (ops_write(tx.ops[p])) writers.push_back(it.key());
  }
  std::sort(tx.participants.begin(), tx.participants.end());
  handles_.handle_of(id);
  Json participants = names(ctx, tx.participants);
  ctx.trace("tx_begin", json_object("tx", id,
                                    "request", request,
                                    "client", ctx.cluster().name(from),
                                    "kind", body.value("kind", "transfer"),
                                    "participants", participants,
                                    "writers", std::move(writers)));
  // In the seed design the request is already the first round of the commit protocol.
  int64_t hops = s_->variant == Variant::kSeed ? 1 : 0;
  Json acceptors = names(ctx, s_->acceptors);
  for (NodeId p : tx.participants) {
    // The client's ops for p, forwarded as they came: ops_to_json(ops_from_json(x)) == x
    // for every request a Client sends.
    ctx.send(p, msg::about(msg::kExecute, id, hops, 0,
                           json_object("ops", ops.at(ctx.cluster().name(p)),
                                       "participants", participants,
                                       "acceptors", acceptors)));
  }
  if (s_->rules.timeouts) wait(ctx, tx, s_->timing.vote_timeout, "vote_timeout");
}

void CoordinatorBase::on_executed(Context& ctx, NodeId from, const Json& body) {
  Tx* tx = find(body.at("tx").get<std::string>());
  if (tx == nullptr || tx->phase != Phase::kExecuting || tx->epochs.count(from) != 0) return;
  if (std::find(tx->participants.begin(), tx->participants.end(), from) == tx->participants.end()) return;
  if (!body.at("ok").get<bool>()) {
    abort_execution(ctx, *tx, from, "refused");
    return;
  }
  tx->epochs[from] = body.at("epoch").get<int64_t>();
  for (auto it = body.at("reads").begin(); it != body.at("reads").end(); ++it) {
    tx->reads[it.key()] = it.value();
  }
  if (!body.at("result").is_null()) tx->results[ctx.cluster().name(from)] = body.at("result");
  tx->hops = std::max(tx->hops, msg::hops_of(body));
  tx->forces = std::max(tx->forces, msg::forces_of(body));
  if (tx->epochs.size() == tx->participants.size()) start_commit(ctx, *tx);
}

// Before the commit protocol nobody has promised anything: tell those still holding
// locks, the client, and forget. Nothing to log.
void CoordinatorBase::abort_execution(Context& ctx, Tx& tx, NodeId refused_by, const std::string& via) {
  stop_waiting(ctx, tx);
  tx.phase = Phase::kDecided;
  tx.decision = Outcome::kAbort;
  std::vector<NodeId> to;
  for (NodeId p : tx.participants) {
    if (p != refused_by) to.push_back(p);
  }
  announce(ctx, tx, to, via);
  tell_client(ctx, tx);
  forget(ctx, tx);
}

// --------------------------------------------------------------------------- helpers

void CoordinatorBase::send(Context& ctx, NodeId to, const std::string& type, const Tx& tx, Json extra) {
  ctx.send(to, msg::about(type, tx.id, tx.hops, tx.forces, std::move(extra)));
}

void CoordinatorBase::wait(Context& ctx, Tx& tx, Duration after, const std::string& kind) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  tx.timer = ctx.set_timer(after, kind, handles_.handle_of(tx.id));
}

void CoordinatorBase::stop_waiting(Context& ctx, Tx& tx) {
  if (tx.timer != 0) ctx.cancel_timer(tx.timer);
  tx.timer = 0;
}

void CoordinatorBase::announce(Context& ctx, Tx& tx, const std::vector<NodeId>& to, const std::string& via) {
  const char* outcome = to_string(*tx.decision);
  ++tx.hops;
  for (NodeId p : to) send(ctx, p, msg::kDecision, tx, json_object("outcome", outcome));
  ctx.trace("decision", json_object("tx", tx.id,
                                    "outcome", outcome,
                                    "via", via,
                                    "to", names(ctx, to),
                                    "hops", tx.hops,
                                    "forces", tx.forces));
}

void CoordinatorBase::tell_client(Context& ctx, Tx& tx) {
  if (tx.client_told || tx.client == kNoNode || !tx.decision) return;
  tx.client_told = true;
  bool commit = *tx.decision == Outcome::kCommit;
  ctx.send(tx.client, Message(msg::kResult, json_object(
      "request", tx.request,
      "tx", tx.id,
      "outcome", to_string(*tx.decision),
      "reads", commit ? tx.reads : Json::object(),
      "results", commit ? tx.results : Json::object())));
}

void CoordinatorBase::forget(Context& ctx, Tx& tx) {
  std::string id = tx.id;
  stop_waiting(ctx, tx);
  ctx.trace("end", json_object("tx", id));
  handles_.forget(id);
  txs_.erase(id);
}

}  // namespace dsim::twopc
