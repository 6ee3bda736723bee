// The flat TxId map (tx_id_map.h) against std::unordered_map over long random runs of
// inserts, look-ups and erases, and TxHandles built on it.
#include <gtest/gtest.h>

#include <unordered_map>
#include <vector>

#include "core/rng.h"
#include "protocols/2pc/tx_handles.h"
#include "protocols/2pc/tx_id_map.h"

namespace dsim::twopc {
namespace {

TxId tx(NodeId coordinator, uint32_t incarnation, uint64_t seq) {
  TxId t;
  t.coordinator = coordinator;
  t.incarnation = incarnation;
  t.seq = seq;
  return t;
}

TEST(TxIdMap, AgreesWithUnorderedMapOverRandomInsertsAndErases) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Rng rng(seed);
    TxIdMap<int64_t> map;
    std::unordered_map<TxId, int64_t, TxIdHash> reference;
    // Few coordinators and incarnations, sequential-ish seqs (as a run makes them), and
    // the empty id now and then.
    auto random_id = [&] {
      if (rng.bernoulli(0.01)) return TxId{};
      return tx(static_cast<NodeId>(rng.uniform(3)), static_cast<uint32_t>(rng.uniform(2)), 1 + rng.uniform(3000));
    };
    for (int step = 0; step < 40000; ++step) {
      TxId id = random_id();
      uint64_t op = rng.uniform(10);
      if (op < 5) {
        auto [v, fresh] = map.try_emplace(id, step);
        auto [it, ref_fresh] = reference.try_emplace(id, step);
        ASSERT_EQ(fresh, ref_fresh) << "step " << step;
        ASSERT_EQ(*v, it->second);
        if (rng.bernoulli(0.3)) *v = it->second = -step;
      } else if (op < 8) {
        ASSERT_EQ(map.erase(id), reference.erase(id) == 1) << "step " << step;
      } else {
        const int64_t* v = map.find(id);
        auto it = reference.find(id);
        ASSERT_EQ(v != nullptr, it != reference.end()) << "step " << step;
        if (v != nullptr) {
          ASSERT_EQ(*v, it->second);
        }
      }
      ASSERT_EQ(map.size(), reference.size());
    }
    // Every key still there is found with its value, after all those erases.
    for (const auto& [id, value] : reference) {
      const int64_t* v = map.find(id);
      ASSERT_NE(v, nullptr);
      EXPECT_EQ(*v, value);
    }
  }
}

TEST(TxHandles, HandlesAreNeverReusedAndForgottenOnesFindNothing) {
  TxHandles h;
  std::vector<TxId> ids;
  for (uint64_t s = 1; s <= 100; ++s) ids.push_back(tx(1, 0, s));
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(h.handle_of(ids[i]), static_cast<int64_t>(i + 1));
  EXPECT_EQ(h.handle_of(ids[41]), 42);  // asked again: the same handle
  // Forget out of order: the oldest first, then some in the middle.
  h.forget(ids[0]);
  h.forget(ids[50]);
  h.forget(ids[1]);
  h.forget(tx(9, 9, 9));  // never had a handle: nothing happens
  EXPECT_EQ(h.tx_of(1), std::nullopt);
  EXPECT_EQ(h.tx_of(2), std::nullopt);
  EXPECT_EQ(h.tx_of(51), std::nullopt);
  EXPECT_EQ(h.tx_of(3), ids[2]);
  EXPECT_EQ(h.tx_of(52), ids[51]);
  EXPECT_EQ(h.tx_of(0), std::nullopt);
  EXPECT_EQ(h.tx_of(101), std::nullopt);
  // A forgotten transaction seen again gets a new handle; its old one still finds nothing.
  EXPECT_EQ(h.handle_of(ids[50]), 101);
  EXPECT_EQ(h.tx_of(101), ids[50]);
  EXPECT_EQ(h.tx_of(51), std::nullopt);
  for (const TxId& id : ids) h.forget(id);
  for (int64_t i = 0; i <= 102; ++i) EXPECT_EQ(h.tx_of(i), std::nullopt) << i;
  EXPECT_EQ(h.handle_of(ids[3]), 102);
}

}  // namespace
}  // namespace dsim::twopc
