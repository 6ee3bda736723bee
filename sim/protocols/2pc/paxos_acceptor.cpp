#include "protocols/2pc/paxos_acceptor.h"

#include <algorithm>

#include "protocols/2pc/events.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/records.h"

namespace dsim::twopc {
namespace {

std::string key(const TxId& tx, const std::string& rm) { return "acc/" + tx.str() + "/" + rm; }

// A copy: the caller changes it and puts it back.
rec::AcceptorState load(Context& ctx, const std::string& k) {
  const Payload* v = ctx.storage().get_record(k);
  return v == nullptr ? rec::AcceptorState{} : *v->as<rec::AcceptorState>();
}

}  // namespace

void PaxosAcceptor::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* p1a = m.as<msg::Phase1a>()) on_p1a(ctx, from, *p1a);
  if (const auto* p2a = m.as<msg::Phase2a>()) on_p2a(ctx, *p2a);
}

void PaxosAcceptor::on_p1a(Context& ctx, NodeId from, const msg::Phase1a& m) {
  const TxId& tx = m.tx;
  int64_t ballot = m.ballot;
  bool promised = true;
  bool changed = false;
  int64_t max_promised = 0;
  std::vector<msg::AcceptedValue> accepted;
  for (const std::string& rm : m.rms) {
    rec::AcceptorState st = load(ctx, key(tx, rm));
    int64_t p = st.promised;
    max_promised = std::max(max_promised, p);
    if (ballot <= p) {
      promised = false;
      continue;
    }
    st.promised = ballot;
    ctx.storage().put(key(tx, rm), st);
    changed = true;
    msg::AcceptedValue a{rm, std::nullopt};
    if (st.ballot >= 0) a.accepted = std::make_pair(st.ballot, st.value);
    auto slot = std::find_if(accepted.begin(), accepted.end(), [&](const auto& v) { return v.rm == rm; });
    if (slot == accepted.end()) {
      accepted.push_back(std::move(a));
    } else {
      *slot = std::move(a);
    }
  }
  if (changed) ctx.storage().sync();  // the promise is durable before it is made
  msg::Phase1b reply;
  static_cast<msg::TxMessage&>(reply) = msg::TxMessage{tx, m.hops + 1, m.forces + (changed ? 1 : 0)};
  reply.ballot = ballot;
  reply.promised = promised;
  reply.max_promised = max_promised;
  reply.accepted = std::move(accepted);
  ctx.send(from, std::move(reply));
}

void PaxosAcceptor::on_p2a(Context& ctx, const msg::Phase2a& m) {
  const TxId& tx = m.tx;
  int64_t ballot = m.ballot;
  msg::RmValues values;
  for (const auto& [rm, value] : m.values) {
    rec::AcceptorState st = load(ctx, key(tx, rm));
    if (ballot < st.promised) continue;
    st.promised = ballot;
    st.ballot = ballot;
    st.value = value;
    ctx.storage().put(key(tx, rm), std::move(st));
    auto slot = std::find_if(values.begin(), values.end(), [&, &rm = rm](const auto& v) { return v.first == rm; });
    if (slot == values.end()) {
      values.emplace_back(rm, value);
    } else {
      slot->second = value;
    }
    ctx.trace(ev::Accepted{tx, rm, ballot, value});
  }
  if (values.empty()) return;
  ctx.storage().sync();
  if (m.reply_to == kNoNode) return;
  ctx.send(m.reply_to, msg::Phase2b{{tx, m.hops + 1, m.forces + 1}, ballot, std::move(values)});
}

}  // namespace dsim::twopc
