// The assignments a run's stores share (store/shared_assignments.h): a store sharing them
// owns every key exactly as a store placing the keys by itself does, through any history
// of changes, and stores that reach the same state share one computation.
#include <gtest/gtest.h>

#include "core/rng.h"
#include "protocols/ring/store/ownership.h"
#include "protocols/ring/store/shared_assignments.h"

namespace dsim::ring {
namespace {

Cluster stores(size_t n) {
  Cluster c;
  for (size_t i = 0; i < n; ++i) c.add("s" + std::to_string(i), "store");
  return c;
}

std::shared_ptr<StoreSettings> settings_for(const std::string& algorithm, const Cluster& c) {
  auto s = std::make_shared<StoreSettings>();
  s->placement.algorithm = algorithm;
  s->placement.vnodes = 20;
  s->placement.table_size = 251;
  s->keys = 300;
  for (NodeId n = 0; n < c.size(); ++n) s->stores.push_back(n);
  return s;
}

// What a store computed before sharing: its own placement, re-assigned on every change.
struct OwnPlacement {
  std::unique_ptr<Placement> p;
  std::vector<uint64_t> hashes;
  std::vector<NodeId> owners;
  OwnPlacement(const StoreSettings& s, const Cluster& c, const std::vector<NodeId>& members)
      : p(make_placement(s.placement)) {
    for (size_t k = 0; k < s.keys; ++k) hashes.push_back(p->hash_key(key_name(k)));
    std::vector<Member> list;
    for (NodeId n : members) list.push_back(placement_member(s, c, n));
    p->add_all(list);
    p->assign(hashes, s.replicas, owners);
  }
  void change(const StoreSettings& s, const Cluster& c, bool added, NodeId n) {
    if (added) {
      p->add(placement_member(s, c, n));
    } else {
      p->remove(n);
    }
    p->assign(hashes, s.replicas, owners);
  }
};

std::vector<NodeId> owners_of(const Ownership& o, size_t keys) {
  std::vector<NodeId> out;
  for (size_t k = 0; k < keys; ++k) {
    for (NodeId n : o.replicas(k)) out.push_back(n);
  }
  return out;
}

// Three stores walk random histories (one shared start, then each its own adds and
// removes, often the same ones) against the same shared assignments.
void walk(const std::string& algorithm, uint64_t seed) {
  const Cluster c = stores(7);
  const auto s = settings_for(algorithm, c);
  auto shared = std::make_shared<SharedAssignments>(s);
  const std::vector<NodeId> start = {0, 1, 2, 3, 4};
  Rng rng = Rng::stream(seed, "shared-assignments/" + algorithm);
  for (int store = 0; store < 3; ++store) {
    Ownership o(shared, c, start);
    OwnPlacement own(*s, c, start);
    std::vector<bool> in(c.size(), false);
    for (NodeId n : start) in[n] = true;
    ASSERT_EQ(owners_of(o, s->keys), own.owners) << algorithm;
    for (int step = 0; step < 12; ++step) {
      const NodeId n = static_cast<NodeId>(rng.uniform(c.size()));
      if (in[n] && o.member_count() == 1) continue;
      const bool added = !in[n];
      in[n] = added;
      const std::vector<NodeId> before = own.owners;
      const size_t stride_before = o.stride();
      Movement m = added ? o.add(n) : o.remove(n);
      own.change(*s, c, added, n);
      ASSERT_EQ(owners_of(o, s->keys), own.owners) << algorithm << " seed " << seed << " step " << step;
      Movement expected = compare_assignments(before, stride_before, own.owners, o.stride(), n, c.size(),
                                              s->moved_keys_traced);
      EXPECT_EQ(m.moved, expected.moved);
      EXPECT_EQ(m.replica_copies_moved, expected.replica_copies_moved);
    }
  }
}

TEST(SharedAssignments, AStoreOwnsKeysAsItsOwnPlacementWouldThroughAnyHistory) {
  for (const std::string algorithm : {"ring", "maglev", "bounded", "jump", "rendezvous"}) {
    for (uint64_t seed = 1; seed <= 3; ++seed) walk(algorithm, seed);
  }
}

TEST(SharedAssignments, StoresWithTheSameMembersShareOneState) {
  const Cluster c = stores(4);
  auto shared = std::make_shared<SharedAssignments>(settings_for("ring", c));
  Ownership a(shared, c, {0, 1, 2});
  Ownership b(shared, c, {0, 1, 2});
  EXPECT_EQ(&a.state(), &b.state());
  a.remove(2);
  a.add(2);  // back to the start's members: the start's state, by member set
  EXPECT_EQ(&a.state(), &b.state());
  a.add(3);
  Ownership d(shared, c, {0, 1, 2, 3});
  EXPECT_EQ(&a.state(), &d.state());
}

TEST(SharedAssignments, JumpSharesByHistoryOnly) {
  const Cluster c = stores(4);
  auto shared = std::make_shared<SharedAssignments>(settings_for("jump", c));
  ASSERT_TRUE(shared->by_history());
  Ownership a(shared, c, {0, 1, 2});
  Ownership b(shared, c, {0, 1, 2});
  EXPECT_EQ(&a.state(), &b.state());
  const SharedAssignments::State* start = &a.state();
  a.remove(0);
  a.add(0);  // the same members, another history: another state
  EXPECT_NE(&a.state(), start);
  b.remove(0);
  b.add(0);  // the same history as a's: a's state
  EXPECT_EQ(&a.state(), &b.state());
}

}  // namespace
}  // namespace dsim::ring
