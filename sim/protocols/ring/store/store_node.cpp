#include "protocols/ring/store/store_node.h"

#include <algorithm>
#include <map>
#include <optional>
#include <span>

#include "protocols/ring/events.h"
#include "protocols/ring/messages.h"
#include "protocols/ring/store/coordinator.h"
#include "protocols/ring/store/membership_view.h"
#include "protocols/ring/store/ownership.h"
#include "protocols/ring/store/replica_data.h"

namespace dsim::ring {
namespace {

class StoreNode final : public Process {
 public:
  explicit StoreNode(std::shared_ptr<SharedAssignments> shared)
      : shared_(std::move(shared)), s_(&shared_->settings()), data_(shared_->key_names()), coordinator_(*s_) {}

  void on_start(Context& ctx) override {
    data_.recover(ctx.storage());
    view_.emplace(ctx.cluster().size(), ctx.self(), s_->initial_members, ctx.now(), s_->suspect_timeout);
    ownership_.emplace(shared_, ctx.cluster(), view_->members());
    ctx.trace(MembershipInit{&ctx.cluster(), ownership_->members(), ownership_->peak_to_mean(), keys_held()});
    tick(ctx);
  }

  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (m.is<Heartbeat>()) {
      if (view_->heard(from, ctx.now())) change(ctx, from, /*added=*/true);
    } else if (const auto* get = m.as<Get>()) {
      coordinator_.on_get(ctx, from, *get, *ownership_);
    } else if (const auto* put = m.as<Put>()) {
      coordinator_.on_put(ctx, from, *put, *ownership_);
    } else if (const auto* read_ok = m.as<ReadOk>()) {
      coordinator_.on_read_ok(ctx, from, *read_ok);
    } else if (const auto* write_ok = m.as<WriteOk>()) {
      coordinator_.on_write_ok(ctx, from, *write_ok);
    } else if (const auto* read = m.as<Read>()) {
      answer_read(ctx, from, *read);
    } else if (const auto* write = m.as<Write>()) {
      data_.offer(write->key, Versioned{write->value, Version{write->vc, write->vn}}, ctx.storage());
      ctx.send(from, WriteOk{write->op});
    } else if (const auto* transfer = m.as<Transfer>()) {
      receive_transfer(ctx, from, *transfer);
    }
  }

  void on_timer(Context& ctx, const Timer& t) override {
    if (t.is(StoreTimer::kTick)) {
      tick(ctx);
    } else if (t.is(StoreTimer::kOpTimeout)) {
      coordinator_.on_timeout(ctx, t.arg);
    }
  }

 private:
  void tick(Context& ctx) {
    for (NodeId peer : s_->stores) {
      if (peer != ctx.self()) ctx.send(peer, Heartbeat{});
    }
    for (NodeId gone : view_->expire(ctx.now())) change(ctx, gone, /*added=*/false);
    ctx.set_timer(s_->heartbeat_interval, StoreTimer::kTick);
  }

  void answer_read(Context& ctx, NodeId from, const Read& m) {
    const auto& held = data_.get(m.key);
    ReadOk r;
    r.op = m.op;
    r.found = held.has_value();
    if (held) {
      r.value = held->value;
      r.vc = held->version.counter;
      r.vn = held->version.node;
    }
    ctx.send(from, std::move(r));
  }

  // One node joined or left this node's view: re-assign, trace the movement, and send
  // every held key to the replicas it gained.
  void change(Context& ctx, NodeId node, bool added) {
    const SharedAssignments::Ref before = ownership_->state_ref();  // kept until the transfers are sent
    const size_t members_before = ownership_->member_count();
    Ownership::Moves m = added ? ownership_->add(node) : ownership_->remove(node);
    trace_change(ctx, node, added, std::move(m), members_before);
    send_transfers(ctx, before->owners, before->stride);
  }

  void trace_change(Context& ctx, NodeId node, bool added, Ownership::Moves m, size_t members_before) {
    MembershipChange e;
    e.cluster = &ctx.cluster();
    e.added = added;
    e.node = node;
    e.members = ownership_->members();
    e.keys = s_->keys;
    e.ideal_fraction = 1.0 / static_cast<double>(added ? ownership_->member_count() : members_before);
    e.peak_to_mean = ownership_->peak_to_mean();
    e.moved = m.moved;
    e.moved_from_survivors = m.moved_from_survivors;
    e.moved_to_others = m.moved_to_others;
    e.replica_copies_moved = m.replica_copies_moved;
    e.nodes_gaining = m.nodes_gaining;
    e.nodes_losing = m.nodes_losing;
    e.sample = std::move(m.sample);
    ctx.trace(e);
  }

  void send_transfers(Context& ctx, const std::vector<NodeId>& before, size_t old_stride) {
    std::map<NodeId, Transfer> batches;  // ordered by node id: deterministic send order
    std::map<NodeId, size_t> sent;
    for (size_t k = 0; k < s_->keys; ++k) {
      const auto& held = data_.get(k);
      if (!held) continue;
      auto old_set = std::span<const NodeId>(before).subspan(k * old_stride, old_stride);
      for (NodeId target : ownership_->replicas(k)) {
        if (target == ctx.self() || std::find(old_set.begin(), old_set.end(), target) != old_set.end()) continue;
        Transfer& batch = batches[target];
        batch.items.push_back(TransferItem{held->value, held->version.counter, k, held->version.node});
        ++sent[target];
        if (batch.items.size() >= s_->transfer_batch) {
          ctx.send(target, std::move(batch));
          batch = Transfer{};
        }
      }
    }
    for (auto& [target, batch] : batches) {
      if (!batch.items.empty()) ctx.send(target, std::move(batch));
    }
    for (const auto& [target, keys] : sent) ctx.trace(TransferSent{ctx.cluster().name(target), keys});
  }

  void receive_transfer(Context& ctx, NodeId from, const Transfer& m) {
    size_t applied = 0;
    for (const TransferItem& item : m.items) {
      if (data_.offer(item.key, Versioned{item.value, Version{item.vc, item.vn}}, ctx.storage())) ++applied;
    }
    ctx.trace(TransferReceived{ctx.cluster().name(from), m.items.size(), applied});
  }

  size_t keys_held() const {
    size_t n = 0;
    for (size_t k = 0; k < data_.size(); ++k) n += data_.get(k).has_value() ? 1 : 0;
    return n;
  }

  std::shared_ptr<SharedAssignments> shared_;
  const StoreSettings* s_;
  ReplicaData data_;
  Coordinator coordinator_;
  std::optional<MembershipView> view_;
  std::optional<Ownership> ownership_;
};

}  // namespace

std::unique_ptr<Process> make_store_node(std::shared_ptr<SharedAssignments> shared) {
  return std::make_unique<StoreNode>(std::move(shared));
}

std::unique_ptr<Process> make_store_node(std::shared_ptr<const StoreSettings> settings) {
  return make_store_node(std::make_shared<SharedAssignments>(std::move(settings)));
}

}  // namespace dsim::ring
