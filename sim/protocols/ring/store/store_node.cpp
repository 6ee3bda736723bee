#include "protocols/ring/store/store_node.h"

#include <algorithm>
#include <map>
#include <optional>
#include <span>

#include "core/json_object.h"
#include "protocols/ring/store/coordinator.h"
#include "protocols/ring/store/membership_view.h"
#include "protocols/ring/store/ownership.h"
#include "protocols/ring/store/replica_data.h"

namespace dsim::ring {
namespace {

Json names_of(const Context& ctx, const std::vector<NodeId>& nodes) {
  Json out = Json::array();
  for (NodeId n : nodes) out.push_back(ctx.cluster().name(n));
  return out;
}

class StoreNode final : public Process {
 public:
  explicit StoreNode(std::shared_ptr<const StoreSettings> s)
      : s_(std::move(s)), data_(s_->keys), coordinator_(*s_) {}

  void on_start(Context& ctx) override {
    data_.recover(ctx.storage());
    view_.emplace(ctx.cluster().size(), ctx.self(), s_->initial_members, ctx.now(), s_->suspect_timeout);
    ownership_.emplace(*s_, ctx.cluster(), view_->members());
    Json f = Json::object();
    f["members"] = names_of(ctx, ownership_->members());
    f["peak_to_mean"] = ownership_->peak_to_mean();
    f["keys_held"] = keys_held();
    ctx.trace("membership_init", std::move(f));
    tick(ctx);
  }

  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (m.type() == "hb") {
      if (view_->heard(from, ctx.now())) change(ctx, from, /*added=*/true);
    } else if (m.type() == "get" || m.type() == "put") {
      coordinator_.on_request(ctx, from, m, *ownership_);
    } else if (m.type() == "read_ok" || m.type() == "write_ok") {
      coordinator_.on_reply(ctx, from, m);
    } else if (m.type() == "read") {
      answer_read(ctx, from, m);
    } else if (m.type() == "write") {
      data_.offer(m.body().at("key").get<size_t>(), ReplicaData::from_json(m.body()), ctx.storage());
      ctx.send(from, Message("write_ok", json_object("op", m.body().at("op"))));
    } else if (m.type() == "transfer") {
      receive_transfer(ctx, from, m);
    }
  }

  void on_timer(Context& ctx, const Timer& t) override {
    if (t.kind == "tick") {
      tick(ctx);
    } else if (t.kind == "op_timeout") {
      coordinator_.on_timeout(ctx, t.arg);
    }
  }

 private:
  void tick(Context& ctx) {
    for (NodeId peer : s_->stores) {
      if (peer != ctx.self()) ctx.send(peer, Message("hb"));
    }
    for (NodeId gone : view_->expire(ctx.now())) change(ctx, gone, /*added=*/false);
    ctx.set_timer(s_->heartbeat_interval, "tick");
  }

  void answer_read(Context& ctx, NodeId from, const Message& m) {
    const auto& held = data_.get(m.body().at("key").get<size_t>());
    Json body = held ? ReplicaData::to_json(*held) : Json::object();
    body["op"] = m.body().at("op");
    body["found"] = held.has_value();
    ctx.send(from, Message("read_ok", std::move(body)));
  }

  // One node joined or left this node's view: re-assign, trace the movement, and send
  // every held key to the replicas it gained.
  void change(Context& ctx, NodeId node, bool added) {
    std::vector<NodeId> before(s_->keys * ownership_->stride());
    for (size_t k = 0; k < s_->keys; ++k) {
      auto r = ownership_->replicas(k);
      std::copy(r.begin(), r.end(), before.begin() + static_cast<std::ptrdiff_t>(k * r.size()));
    }
    const size_t old_stride = ownership_->stride();
    const size_t members_before = ownership_->member_count();
    Movement m = added ? ownership_->add(node) : ownership_->remove(node);
    trace_change(ctx, node, added, m, members_before);
    send_transfers(ctx, before, old_stride);
  }

  void trace_change(Context& ctx, NodeId node, bool added, const Movement& m, size_t members_before) {
    const double keys = static_cast<double>(s_->keys);
    Json f = Json::object();
    f["kind"] = added ? "add" : "remove";
    f["node"] = ctx.cluster().name(node);
    f["members"] = names_of(ctx, ownership_->members());
    f["moved_keys"] = m.moved;
    f["moved_fraction"] = static_cast<double>(m.moved) / keys;
    f["ideal_fraction"] = 1.0 / static_cast<double>(added ? ownership_->member_count() : members_before);
    f["moved_from_survivors"] = m.moved_from_survivors;
    f["moved_to_others"] = m.moved_to_others;
    f["replica_copies_moved"] = m.replica_copies_moved;
    f["nodes_gaining"] = m.nodes_gaining();
    f["nodes_losing"] = m.nodes_losing();
    f["peak_to_mean"] = ownership_->peak_to_mean();
    Json moves = Json::array();
    for (const KeyMove& km : m.sample) {
      moves.push_back(json_object("key", key_name(km.key),
                                  "from", ctx.cluster().name(km.from),
                                  "to", ctx.cluster().name(km.to)));
    }
    f["moved"] = std::move(moves);
    ctx.trace("membership_change", std::move(f));
  }

  void send_transfers(Context& ctx, const std::vector<NodeId>& before, size_t old_stride) {
    std::map<NodeId, Json> batches;  // ordered by node id: deterministic send order
    std::map<NodeId, size_t> sent;
    for (size_t k = 0; k < s_->keys; ++k) {
      const auto& held = data_.get(k);
      if (!held) continue;
      auto old_set = std::span<const NodeId>(before).subspan(k * old_stride, old_stride);
      for (NodeId target : ownership_->replicas(k)) {
        if (target == ctx.self() || std::find(old_set.begin(), old_set.end(), target) != old_set.end()) continue;
        Json item = ReplicaData::to_json(*held);
        item["key"] = k;
        Json& batch = batches[target];
        if (batch.is_null()) batch = Json::array();
        batch.push_back(std::move(item));
        ++sent[target];
        if (batch.size() >= s_->transfer_batch) {
          ctx.send(target, Message("transfer", json_object("items", std::move(batch))));
          batch = Json::array();
        }
      }
    }
    for (auto& [target, batch] : batches) {
      if (!batch.empty()) {
        ctx.send(target, Message("transfer", json_object("items", std::move(batch))));
      }
    }
    for (const auto& [target, keys] : sent) {
      ctx.trace("transfer_sent", json_object("to", ctx.cluster().name(target), "keys", keys));
    }
  }

  void receive_transfer(Context& ctx, NodeId from, const Message& m) {
    size_t applied = 0;
    const Json& items = m.body().at("items");
    for (const Json& item : items) {
      if (data_.offer(item.at("key").get<size_t>(), ReplicaData::from_json(item), ctx.storage())) ++applied;
    }
    ctx.trace("transfer_received",
              json_object("from", ctx.cluster().name(from),
                          "keys", items.size(),
                          "newer", applied));
  }

  size_t keys_held() const {
    size_t n = 0;
    for (size_t k = 0; k < data_.size(); ++k) n += data_.get(k).has_value() ? 1 : 0;
    return n;
  }

  std::shared_ptr<const StoreSettings> s_;
  ReplicaData data_;
  Coordinator coordinator_;
  std::optional<MembershipView> view_;
  std::optional<Ownership> ownership_;
};

}  // namespace

std::unique_ptr<Process> make_store_node(std::shared_ptr<const StoreSettings> settings) {
  return std::make_unique<StoreNode>(std::move(settings));
}

}  // namespace dsim::ring
