// What a run's store nodes compute once and share: the key space's names and hashes, and
// the key assignments each placement state gives. Every store starts from (nearly) the
// same members and sees the same membership changes (a crash, a join), so without
// sharing each store re-placed the whole key space for every change another store had
// already computed: a tenth of a ring run.
//
// A state is shared by HISTORY, never by member set alone: the members a store started
// with (in the order it added them), then each add/remove in order. Placement is a pure
// function of that history for every algorithm, jump included (whose result depends on
// the order of changes), so sharing never changes what a store computes, and the
// replica_agreement check still sees each store's own placement.
//
// One per run (ProtocolRun), used by one thread; states live as long as it does.
#pragma once

#include <map>
#include <memory>
#include <span>
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
  // One placement state: where it came from and the assignment it gives.
  struct State {
    uint32_t id = 0;
    const State* parent = nullptr;  // null for a starting state
    bool added = false;             // the change from the parent: `changed` joined or left
    NodeId changed = 0;
    std::vector<NodeId> initial;    // a starting state: the members, in the order added
    std::vector<NodeId> owners;     // stride per key, primary first
    size_t stride = 0;              // min(R, members)
    std::vector<NodeId> members;    // in id order
    double peak_to_mean = 0;
    Movement movement;              // from the parent (empty for a starting state)
  };

  explicit SharedAssignments(std::shared_ptr<const StoreSettings> settings);

  const StoreSettings& settings() const { return *s_; }
  // "key-N" by key: the keys' names on a store's disk.
  const std::vector<std::string>& key_names() const { return key_names_; }
  // Every key's position under the algorithm (Placement::hash_key), in key order.
  const std::vector<uint64_t>& key_hashes() const { return key_hashes_; }

  // The state of a store that started with `members` (in the order added), or null when
  // no store has computed it yet: then compute it with start().
  const State* find_start(const std::vector<NodeId>& members) const;
  // `placement` holds exactly `members`, added in that order.
  const State* start(const Cluster& cluster, const std::vector<NodeId>& members, const Placement& placement);
  // The state after `node` joined (added) or left `from`, or null when no store has
  // computed it yet: then compute it with change().
  const State* find_change(const State* from, bool added, NodeId node) const;
  // `placement` is at `from`'s history followed by this change.
  const State* change(const Cluster& cluster, const State* from, bool added, NodeId node,
                      const Placement& placement);

 private:
  State& make_state(const Cluster& cluster, const Placement& placement);

  std::shared_ptr<const StoreSettings> s_;
  std::vector<std::string> key_names_;
  std::vector<uint64_t> key_hashes_;
  std::vector<std::unique_ptr<State>> states_;  // by id
  std::map<std::vector<NodeId>, const State*> starts_;
  std::map<std::tuple<uint32_t, bool, NodeId>, const State*> changes_;  // (from's id, added, node)
};

// Primary keys per member of the state, in id order: {node, count}.
std::vector<std::pair<NodeId, uint64_t>> primary_counts(const SharedAssignments::State& st, const Cluster& cluster);

}  // namespace dsim::ring
