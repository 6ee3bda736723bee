// One transaction's plan: who takes part and what each participant is asked, built once by
// the client as its request (plan_of_request), then shared, never changed, by the Begin,
// the coordinator's transaction and every Execute and Prepare about it (messages.h). The
// coordinator takes the request's plan as it is, or a copy that names its acceptors (Paxos
// Commit). Sharing it keeps those messages within the core's inline message storage
// (core/payload.h: 56 bytes), so sending one allocates nothing and copies no op list.
//
// PlanRef counts its holders without atomics: a plan lives inside one simulation, and a
// simulation runs on one thread (a sweep's workers each run their own simulations).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/small_vec.h"

namespace dsim::twopc {

struct TxPlan {
  std::vector<NodeId> participants;  // in id order, as the coordinator's transaction lists them
  // The acceptors (Paxos Commit only; empty in every other variant, settings.cpp).
  std::vector<NodeId> acceptors;
  // Every participant's ops, one list after another in participant order (one block for
  // the plan, not one per participant): participants[k]'s are ops[op_start[k]] up to
  // ops[op_start[k + 1]], in the order the client wrote them. Both empty when the
  // coordinator no longer knows them (a transaction it recovered): only Execute reads them.
  std::vector<Op> ops;
  SmallVec<uint32_t, 5> op_start;
  // The order the client wrote its participants in, as indexes into `participants` (the
  // Begin and the client's trace show the ops in that order). Empty in a plan not made
  // from a request.
  SmallVec<uint32_t, 4> request_order;

  // participants[k]'s ops; empty when the plan has none.
  OpList ops_of(size_t k) const {
    if (k + 1 >= op_start.size()) return {};
    return OpList(ops.data() + op_start[k], ops.data() + op_start[k + 1]);
  }
  // Sets the ops from one list per participant (lists[k] is participants[k]'s).
  void set_ops(const std::vector<std::vector<Op>>& lists) {
    ops.clear();
    op_start.clear();
    for (const std::vector<Op>& list : lists) {
      op_start.push_back(static_cast<uint32_t>(ops.size()));
      ops.insert(ops.end(), list.begin(), list.end());
    }
    op_start.push_back(static_cast<uint32_t>(ops.size()));
  }
  // A plan of these participants, acceptors and op lists (tests, and plans rebuilt whole).
  static TxPlan of(std::vector<NodeId> participants, std::vector<NodeId> acceptors,
                   const std::vector<std::vector<Op>>& lists) {
    TxPlan plan{std::move(participants), std::move(acceptors), {}, {}, {}};
    plan.set_ops(lists);
    return plan;
  }
};

// The plan of a client's request, made in `plan` (cleared first; its lists keep their
// memory, so a plan from PlanRef::build allocates nothing once its lists have grown).
// `written` lists op lists by participant in the order the client wrote them; a
// participant named twice keeps its first place and its last list (as a JSON object keyed
// by participant would). The ops are copied: the caller may clear `written` and reuse its
// lists' memory. The plan names no acceptors.
inline void plan_of_request(const std::vector<std::pair<NodeId, std::vector<Op>>>& written, TxPlan& plan) {
  plan.participants.clear();
  plan.acceptors.clear();
  plan.ops.clear();
  plan.op_start.clear();
  plan.request_order.clear();
  plan.participants.reserve(written.size());
  size_t op_count = 0;
  for (const auto& [p, ops] : written) {
    op_count += ops.size();
    if (std::find(plan.participants.begin(), plan.participants.end(), p) == plan.participants.end()) {
      plan.participants.push_back(p);
      static_assert(std::is_same_v<NodeId, uint32_t>);
      plan.request_order.push_back(p);  // a node id for now: made an index below
    }
  }
  std::sort(plan.participants.begin(), plan.participants.end());
  auto index_of = [&plan](NodeId p) {
    return static_cast<uint32_t>(std::lower_bound(plan.participants.begin(), plan.participants.end(), p) -
                                 plan.participants.begin());
  };
  plan.ops.reserve(op_count);
  for (NodeId p : plan.participants) {
    plan.op_start.push_back(static_cast<uint32_t>(plan.ops.size()));
    // The last list written for p wins.
    auto last = std::find_if(written.rbegin(), written.rend(), [p](const auto& e) { return e.first == p; });
    plan.ops.insert(plan.ops.end(), last->second.begin(), last->second.end());
  }
  plan.op_start.push_back(static_cast<uint32_t>(plan.ops.size()));
  for (uint32_t& k : plan.request_order) k = index_of(k);
}
inline TxPlan plan_of_request(const std::vector<std::pair<NodeId, std::vector<Op>>>& written) {
  TxPlan plan;
  plan_of_request(written, plan);
  return plan;
}

// The plan plan_of_request makes when the client wrote one op for each of `sites`, all
// distinct (ops[i] for sites[i]), made in `plan` (cleared first) without the per-site
// lists: the sites in id order, each with its one op, and the order they were written in.
// A random transfer's plan (client.cpp). REQUIRES: ops.size() == sites.size(), no site
// twice.
inline void plan_of_distinct_sites(std::span<const NodeId> sites, std::span<const Op> ops, TxPlan& plan) {
  plan.participants.assign(sites.begin(), sites.end());
  std::sort(plan.participants.begin(), plan.participants.end());
  plan.acceptors.clear();
  plan.ops.resize(sites.size());
  plan.op_start.clear();
  plan.request_order.clear();
  for (size_t i = 0; i < sites.size(); ++i) {
    const auto k = static_cast<uint32_t>(std::lower_bound(plan.participants.begin(), plan.participants.end(), sites[i]) -
                                         plan.participants.begin());
    plan.ops[k] = ops[i];
    plan.request_order.push_back(k);
  }
  for (uint32_t k = 0; k <= sites.size(); ++k) plan.op_start.push_back(k);
}

// A shared, read-only handle to a TxPlan (one pointer: a message's inline room is small).
//
// A plan no one holds any more goes back to a pool of its thread (up to kPooled of them),
// its lists emptied but keeping their memory; build() makes the next plan in a pooled
// block's lists, so a plan made that way costs no allocation once the lists have grown
// (it was three: the block, its participants, its ops). Most plans are held to the end of
// their run (a participant's PREPARED record keeps its plan, and a log keeps its
// records): they come back when the run's simulation is destroyed, for the next run on the
// thread (a sweep's seeds, the benchmark's) to reuse; within a run, the plans of requests
// that never prepared come back. What a pooled block held never shows: build() hands its
// caller empty lists, and make() replaces the whole plan (keeping only the block).
class PlanRef {
 public:
  PlanRef() = default;
  static PlanRef make(TxPlan plan) {
    PlanRef r;
    r.block_ = take_block();
    r.block_->plan = std::move(plan);
    return r;
  }
  // A plan that fill(TxPlan&) makes in place, from a pooled block when there is one (its
  // lists empty, their memory kept).
  template <typename Fill>
  static PlanRef build(Fill&& fill) {
    PlanRef r;
    r.block_ = take_block();
    fill(r.block_->plan);
    return r;
  }
  PlanRef(const PlanRef& other) noexcept : block_(other.block_) {
    if (block_ != nullptr) ++block_->holders;
  }
  PlanRef(PlanRef&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  PlanRef& operator=(const PlanRef& other) noexcept {
    PlanRef copy(other);
    std::swap(block_, copy.block_);
    return *this;
  }
  PlanRef& operator=(PlanRef&& other) noexcept {
    PlanRef taken(std::move(other));
    std::swap(block_, taken.block_);
    return *this;
  }
  ~PlanRef() {
    if (block_ != nullptr && --block_->holders == 0) give_back(block_);
  }

  explicit operator bool() const { return block_ != nullptr; }
  // REQUIRES: not empty.
  const TxPlan& operator*() const { return block_->plan; }
  const TxPlan* operator->() const { return &block_->plan; }

 private:
  struct Block {
    TxPlan plan;
    uint64_t holders;
  };
  // More than a run of the random workloads makes (a few hundred plans per seed), small
  // enough not to matter: a pooled block with its lists is about 300 bytes.
  static constexpr size_t kPooled = 1024;
  struct Pool {
    std::vector<Block*> blocks;
    Pool() { blocks.reserve(kPooled); }  // give_back, in a destructor, never reallocates
    ~Pool() {
      for (Block* b : blocks) delete b;
      blocks.clear();
      gone() = true;
    }
  };
  static Pool& pool() {
    thread_local Pool p;
    return p;
  }
  // Set once the thread's pool is destroyed (a plan freed later, by another thread-local
  // object's destructor, is deleted): trivially destructible, so readable to the end.
  static bool& gone() {
    thread_local bool g = false;
    return g;
  }
  static Block* take_block() {
    if (!gone()) {
      std::vector<Block*>& free = pool().blocks;
      if (!free.empty()) {
        Block* b = free.back();
        free.pop_back();
        b->holders = 1;
        return b;
      }
    }
    return new Block{TxPlan{}, 1};
  }
  static void give_back(Block* b) {
    if (gone() || pool().blocks.size() >= kPooled) {
      delete b;
      return;
    }
    TxPlan& p = b->plan;
    p.participants.clear();
    p.acceptors.clear();
    p.ops.clear();
    p.op_start.clear();
    p.request_order.clear();
    pool().blocks.push_back(b);
  }
  Block* block_ = nullptr;
};

}  // namespace dsim::twopc
