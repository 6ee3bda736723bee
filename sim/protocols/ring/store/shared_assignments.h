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
// One per run (ProtocolRun), used by one thread; states live as long as it does.
#pragma once

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
  // One placement state: the assignment it gives and, by history, where it came from.
  struct State {
    uint32_t id = 0;
    std::vector<NodeId> owners;   // stride per key, primary first
    size_t stride = 0;            // min(R, members)
    std::vector<NodeId> members;  // in id order
    double peak_to_mean = 0;      // see Ownership::peak_to_mean
    // By history (jump) only: the start state's members in the order added; else the
    // change from the parent.
    const State* parent = nullptr;
    std::vector<NodeId> initial;
    bool added = false;
    NodeId changed = 0;
  };
  // A membership change from one state to another, and the keys it moved.
  struct Change {
    const State* to = nullptr;
    Movement movement;
  };

  explicit SharedAssignments(std::shared_ptr<const StoreSettings> settings);

  const StoreSettings& settings() const { return *s_; }
  // "key-N" by key: the keys' names on a store's disk.
  const std::vector<std::string>& key_names() const { return key_names_; }
  // Every key's position under the algorithm (Placement::hash_key), in key order.
  const std::vector<uint64_t>& key_hashes() const { return key_hashes_; }
  // States are shared by history (jump), not by member set.
  bool by_history() const { return by_history_; }

  // The state of a store that starts with `members` (in the order added). By member set,
  // computed here when new. By history, null when new: the store computes it with its
  // own placement and registers it with start().
  const State* find_start(const Cluster& cluster, const std::vector<NodeId>& members);
  // By history: `placement` holds exactly `members`, added in that order.
  const State* start(const Cluster& cluster, const std::vector<NodeId>& members, const Placement& placement);
  // `node` joins (added) or leaves the state `from`. By member set, computed here when
  // new. By history, null when new: the store computes it with its own placement and
  // registers it with change().
  const Change* find_change(const Cluster& cluster, const State* from, bool added, NodeId node);
  // By history: `placement` is at `from`'s history followed by this change.
  const Change* change(const Cluster& cluster, const State* from, bool added, NodeId node,
                       const Placement& placement);

 private:
  using ChangeKey = std::tuple<uint32_t, bool, NodeId>;  // (from's id, added, node)
  State& make_state(const Cluster& cluster, const Placement& placement);
  const State* state_of_set(const Cluster& cluster, const std::vector<NodeId>& members);  // sorted
  const Change* add_change(const Cluster& cluster, const State* from, bool added, NodeId node, const State* to);

  std::shared_ptr<const StoreSettings> s_;
  bool by_history_ = false;
  std::vector<std::string> key_names_;
  std::vector<uint64_t> key_hashes_;
  std::vector<std::unique_ptr<State>> states_;  // by id
  std::map<std::vector<NodeId>, const State*> starts_;  // by history: members in the order added
  std::map<std::vector<NodeId>, const State*> sets_;    // by member set: sorted members
  std::map<ChangeKey, Change> changes_;
};

// Primary keys per member of the state, in id order: {node, count}.
std::vector<std::pair<NodeId, uint64_t>> primary_counts(const SharedAssignments::State& st, const Cluster& cluster);

}  // namespace dsim::ring
