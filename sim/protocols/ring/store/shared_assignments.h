// What a run's store nodes compute once and share: the key space's names and hashes, and
// the key assignment of each placement state. Every store starts from (nearly) the same
// members and sees the same membership changes (a crash, a join), so without sharing
// each store re-placed the whole key space for every change another store had already
// computed: a fifth of a ring run.
//
// Which states are the same: for every algorithm but jump, placement is a function of the
// member set alone (Placement::depends_on_history, checked for each algorithm by
// tests/ring/placement_order_test.cpp), so states are shared by member set. Jump's result
// depends on the order of changes, so its states are shared by history only: the members
// a store started with (in the order it added them), then each add/remove in order. Either
// way sharing never changes what a store computes.
//
// Memory is bounded. A store holds its current state through a Ref (and, while it sends
// transfers, the one before); a state no Ref holds is kept in a cache of recently
// dropped states, oldest evicted first, so that a view flapping back finds its state
// again. The whole table (states and the changes between them) stays within
// budget_bytes(): twice each store's own assignment (keys x R node ids), which is what
// the family's memory estimate counts per store (ring_family.cpp, estimate_load). States
// held by Refs are never evicted; there are at most stores + 1 of them (one per store,
// plus the one a changing store keeps), which fits the budget. An evicted state is
// computed again when a store reaches it (by history: under a new id).
//
// One per run (ProtocolRun), used by one thread. It outlives every Ref into it.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cluster.h"
#include "protocols/ring/stats/movement.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

class SharedAssignments {
 public:
  // One placement state: the assignment it gives. Never changes once made.
  struct State {
    uint64_t id = 0;
    std::vector<NodeId> owners;   // stride per key, primary first
    size_t stride = 0;            // min(R, members)
    std::vector<NodeId> members;  // in id order
    double peak_to_mean = 0;      // see Ownership::peak_to_mean

   private:
    friend class SharedAssignments;
    uint32_t holders = 0;                      // Refs to it
    bool in_dropped = false;                   // holders == 0: in dropped_, at dropped_at
    std::list<uint64_t>::iterator dropped_at;
    std::vector<NodeId> initial;  // by history, a start: members in the order added
    std::vector<std::tuple<uint64_t, bool, NodeId>> incoming;  // keys of the changes leading here
  };

  // Keeps a state in memory while it lives (copyable, like a shared pointer).
  class Ref {
   public:
    Ref() = default;
    Ref(const Ref& o) : table_(o.table_), state_(o.state_) {
      if (state_ != nullptr) table_->acquire(*state_);
    }
    Ref(Ref&& o) noexcept : table_(o.table_), state_(std::exchange(o.state_, nullptr)) {}
    Ref& operator=(Ref o) noexcept {
      std::swap(table_, o.table_);
      std::swap(state_, o.state_);
      return *this;
    }
    ~Ref() {
      if (state_ != nullptr) table_->release(*state_);
    }
    explicit operator bool() const { return state_ != nullptr; }
    const State& operator*() const { return *state_; }
    const State* operator->() const { return state_; }
    const State* get() const { return state_; }

   private:
    friend class SharedAssignments;
    Ref(SharedAssignments* table, State* state) : table_(table), state_(state) { table_->acquire(*state_); }
    SharedAssignments* table_ = nullptr;
    State* state_ = nullptr;
  };

  // What one membership change moved, as a store traces it: stats/movement.h's Movement
  // without its per-node tables (as long as the cluster), which only their counts need.
  struct Moves {
    uint64_t moved = 0;
    uint64_t moved_from_survivors = 0;
    uint64_t moved_to_others = 0;
    uint64_t replica_copies_moved = 0;
    uint64_t nodes_gaining = 0;
    uint64_t nodes_losing = 0;
    std::vector<KeyMove> sample;  // at most moved_keys_traced
  };
  // A membership change from one state to another, and the keys it moved.
  struct Change {
    State* to = nullptr;
    Moves moves;
    uint64_t seq = 0;  // creation order: with no dropped state left, the oldest goes first
  };

  explicit SharedAssignments(std::shared_ptr<const StoreSettings> settings);
  SharedAssignments(const SharedAssignments&) = delete;
  SharedAssignments& operator=(const SharedAssignments&) = delete;

  const StoreSettings& settings() const { return *s_; }
  // "key-N" by key: the keys' names on a store's disk.
  const std::vector<std::string>& key_names() const { return key_names_; }
  // Every key's position under the algorithm (Placement::hash_key), in key order.
  const std::vector<uint64_t>& key_hashes() const { return key_hashes_; }
  // States are shared by history (jump), not by member set.
  bool by_history() const { return by_history_; }

  // The state of a store that starts with `members` (in the order added). By member set,
  // computed here when new. By history, empty when new: the store computes it with its
  // own placement and registers it with start().
  Ref find_start(const Cluster& cluster, const std::vector<NodeId>& members);
  // By history: `placement` holds exactly `members`, added in that order.
  Ref start(const Cluster& cluster, const std::vector<NodeId>& members, const Placement& placement);
  // `node` joins (added) or leaves the state `from` (held by the caller). By member set,
  // computed here when new. By history, null when new: the store computes it with its
  // own placement and registers it with change(). The change is valid until follow().
  const Change* find_change(const Cluster& cluster, const State& from, bool added, NodeId node);
  // By history: `placement` is at `from`'s history followed by this change.
  const Change* change(const Cluster& cluster, const State& from, bool added, NodeId node,
                       const Placement& placement);
  // Moves `state` (at the change's start) to the change's end and returns what moved;
  // then evicts what the budget has no room for.
  Moves follow(const Change& c, Ref& state);

  // What the table holds now: states (held or cached), those held by a Ref, and the
  // bytes of states and changes together, within budget_bytes() after each follow().
  size_t states() const { return states_.size(); }
  size_t held_states() const { return states_.size() - dropped_.size(); }
  uint64_t bytes() const { return bytes_; }
  uint64_t budget_bytes() const { return budget_bytes_; }

 private:
  using ChangeKey = std::tuple<uint64_t, bool, NodeId>;  // (from's id, added, node)
  State& make_state(const Cluster& cluster, const Placement& placement);
  State* state_of_set(const Cluster& cluster, const std::vector<NodeId>& members);  // sorted
  const Change* add_change(const Cluster& cluster, const State& from, bool added, NodeId node, State& to);
  void acquire(State& st);
  void release(State& st);
  // Evicts dropped states, oldest first, then changes, oldest first, until within budget.
  void trim();
  void evict_state(uint64_t id);
  void evict_change(std::map<ChangeKey, Change>::iterator it);
  static uint64_t bytes_of(const State& st);
  static uint64_t bytes_of(const Change& c);

  std::shared_ptr<const StoreSettings> s_;
  bool by_history_ = false;
  std::vector<std::string> key_names_;
  std::vector<uint64_t> key_hashes_;
  uint64_t budget_bytes_ = 0;
  uint64_t bytes_ = 0;
  uint64_t next_id_ = 0;
  uint64_t next_seq_ = 0;
  std::map<uint64_t, std::unique_ptr<State>> states_;  // by id
  std::list<uint64_t> dropped_;                        // states no Ref holds, oldest first
  std::map<std::vector<NodeId>, State*> starts_;       // by history: members in the order added
  std::map<std::vector<NodeId>, State*> sets_;         // by member set: sorted members
  std::map<ChangeKey, Change> changes_;
  std::map<uint64_t, ChangeKey> change_order_;         // by seq
};

// Primary keys per member of the state, in id order: {node, count}.
std::vector<std::pair<NodeId, uint64_t>> primary_counts(const SharedAssignments::State& st, const Cluster& cluster);

}  // namespace dsim::ring
