#include "protocols/twopc/paxos_acceptor.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {
namespace {

std::string key(const std::string& tx, const std::string& rm) { return "acc/" + tx + "/" + rm; }

Json load(Context& ctx, const std::string& k) {
  auto v = ctx.storage().get(k);
  return v ? *v : json_object("promised", -1, "ballot", -1, "value", nullptr);
}

}  // namespace

void PaxosAcceptor::on_message(Context& ctx, NodeId from, const Message& m) {
  if (m.type() == msg::kPhase1a) on_p1a(ctx, from, m.body());
  if (m.type() == msg::kPhase2a) on_p2a(ctx, m.body());
}

void PaxosAcceptor::on_p1a(Context& ctx, NodeId from, const Json& body) {
  const std::string tx = body.at("tx").get<std::string>();
  int64_t ballot = body.at("ballot").get<int64_t>();
  bool promised = true;
  bool changed = false;
  int64_t max_promised = 0;
  Json accepted = Json::object();
  for (const Json& rm_name : body.at("rms")) {
    std::string rm = rm_name.get<std::string>();
    Json st = load(ctx, key(tx, rm));
    int64_t p = st.at("promised").get<int64_t>();
    max_promised = std::max(max_promised, p);
    if (ballot <= p) {
      promised = false;
      continue;
    }
    st["promised"] = ballot;
    ctx.storage().put(key(tx, rm), st);
    changed = true;
    accepted[rm] = st.at("ballot").get<int64_t>() < 0
                       ? Json(nullptr)
                       : json_object("ballot", st.at("ballot"), "value", st.at("value"));
  }
  if (changed) ctx.storage().sync();  // the promise is durable before it is made
  Json extra = json_object("ballot", ballot,
                           "promised", promised,
                           "max_promised", max_promised,
                           "accepted", accepted);
  ctx.send(from, msg::about(msg::kPhase1b, tx, msg::hops_of(body) + 1, msg::forces_of(body) + (changed ? 1 : 0),
                            std::move(extra)));
}

void PaxosAcceptor::on_p2a(Context& ctx, const Json& body) {
  const std::string tx = body.at("tx").get<std::string>();
  int64_t ballot = body.at("ballot").get<int64_t>();
  Json values = Json::object();
  for (const auto& [rm, value] : body.at("values").items()) {
    Json st = load(ctx, key(tx, rm));
    if (ballot < st.at("promised").get<int64_t>()) continue;
    st["promised"] = ballot;
    st["ballot"] = ballot;
    st["value"] = value;
    ctx.storage().put(key(tx, rm), st);
    values[rm] = value;
    ctx.trace("accepted", json_object("tx", tx, "rm", rm, "ballot", ballot, "value", value));
  }
  if (values.empty()) return;
  ctx.storage().sync();
  auto reply_to = ctx.cluster().find(body.at("reply_to").get<std::string>());
  if (!reply_to) return;
  ctx.send(*reply_to, msg::about(msg::kPhase2b, tx, msg::hops_of(body) + 1, msg::forces_of(body) + 1,
                                 json_object("ballot", ballot, "values", values)));
}

}  // namespace dsim::twopc
