// tx_table.h: the roles' transaction table. What the roles rely on: a lookup finds exactly
// what was added and not erased (also after the index grows and after erasures shift
// entries back), references stay valid while others come and go, and timer handles count
// from 1 in first-use order, are never reused, and find nothing once their transaction is
// erased.
#include "protocols/2pc/tx_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "core/rng.h"

namespace dsim::twopc {
namespace {

struct Rec {
  TxId id;
  int64_t handle = 0;
  int64_t value = 0;
};

TxId tx(NodeId coordinator, uint32_t incarnation, uint64_t seq) { return TxId{nullptr, coordinator, incarnation, seq}; }

TEST(TxTable, FindsWhatWasAddedAndNothingElse) {
  TxTable<Rec> t;
  EXPECT_EQ(t.find(tx(1, 0, 1)), nullptr);
  Rec& a = t.get_or_add(tx(1, 0, 1));
  a.value = 7;
  EXPECT_EQ(&t.get_or_add(tx(1, 0, 1)), &a);  // the same one, not a new one
  EXPECT_EQ(t.find(tx(1, 0, 1))->value, 7);
  EXPECT_EQ(t.find(tx(1, 1, 1)), nullptr);  // another incarnation
  EXPECT_EQ(t.find(tx(2, 0, 1)), nullptr);  // another coordinator
  EXPECT_EQ(t.size(), 1u);
}

TEST(TxTable, HandlesCountInFirstUseOrderAndAreNeverReused) {
  TxTable<Rec> t;
  Rec& a = t.get_or_add(tx(1, 0, 1));
  Rec& b = t.get_or_add(tx(1, 0, 2));
  EXPECT_EQ(t.handle_of(b), 1);
  EXPECT_EQ(t.handle_of(a), 2);
  EXPECT_EQ(t.handle_of(b), 1);
  EXPECT_EQ(t.by_handle(2), &a);
  t.erase(a);
  EXPECT_EQ(t.by_handle(2), nullptr);  // a late timer finds nothing
  Rec& c = t.get_or_add(tx(1, 0, 3));  // may reuse a's slot
  EXPECT_EQ(t.handle_of(c), 3);        // but never a's handle
  EXPECT_EQ(t.by_handle(2), nullptr);
  EXPECT_EQ(t.by_handle(3), &c);
  EXPECT_EQ(t.by_handle(0), nullptr);
  EXPECT_EQ(t.by_handle(99), nullptr);
}

// Random adds and erases against std::map, across several growths of the index.
TEST(TxTable, AgreesWithAMapUnderRandomAddsAndErases) {
  TxTable<Rec> t;
  std::map<uint64_t, int64_t> model;  // seq -> value
  Rng rng(42);
  for (int step = 0; step < 20000; ++step) {
    uint64_t seq = 1 + rng.uniform(3000);
    NodeId coordinator = static_cast<NodeId>(seq % 3);
    TxId id = tx(coordinator, 0, seq);
    if (rng.bernoulli(0.6)) {
      t.get_or_add(id).value = step;
      model[seq] = step;
    } else if (Rec* r = t.find(id)) {
      t.erase(*r);
      model.erase(seq);
    }
  }
  EXPECT_EQ(t.size(), model.size());
  for (uint64_t seq = 1; seq <= 3000; ++seq) {
    const Rec* r = t.find(tx(static_cast<NodeId>(seq % 3), 0, seq));
    auto it = model.find(seq);
    if (it == model.end()) {
      EXPECT_EQ(r, nullptr) << seq;
    } else {
      ASSERT_NE(r, nullptr) << seq;
      EXPECT_EQ(r->value, it->second) << seq;
    }
  }
  size_t walked = 0;
  t.for_each([&](const Rec& r) {
    ++walked;
    EXPECT_EQ(model.count(r.id.seq), 1u);
  });
  EXPECT_EQ(walked, model.size());
}

// The index is an array by number per coordinator and incarnation; numbers far from the
// ones seen so far (no coordinator gives them, a test or a torn record might) are found
// all the same, beside dense ones of the same origin and across incarnations.
TEST(TxTable, FindsNumbersFarFromTheDenseOnes) {
  TxTable<Rec> t;
  const std::vector<TxId> ids = {tx(1, 0, 1),       tx(1, 0, 1'000'000'000'000), tx(1, 0, 2),
                                 tx(1, 0, 0),       tx(2, 7, UINT64_MAX),        tx(2, 7, 3),
                                 tx(1, 1, 1),       tx(1, 0, 50'000),            tx(kNoNode, UINT32_MAX, 9)};
  for (size_t k = 0; k < ids.size(); ++k) t.get_or_add(ids[k]).value = static_cast<int64_t>(k);
  EXPECT_EQ(t.size(), ids.size());
  for (size_t k = 0; k < ids.size(); ++k) {
    ASSERT_NE(t.find(ids[k]), nullptr) << k;
    EXPECT_EQ(t.find(ids[k])->value, static_cast<int64_t>(k)) << k;
  }
  for (const TxId& absent : {tx(1, 0, 3), tx(1, 0, 999'999'999'999), tx(2, 7, 2), tx(2, 0, 3), tx(1, 2, 1)}) {
    EXPECT_EQ(t.find(absent), nullptr) << absent.seq;
  }
  t.erase(*t.find(tx(1, 0, 1'000'000'000'000)));
  t.erase(*t.find(tx(2, 7, 3)));
  EXPECT_EQ(t.find(tx(1, 0, 1'000'000'000'000)), nullptr);
  EXPECT_EQ(t.find(tx(2, 7, 3)), nullptr);
  EXPECT_EQ(t.find(tx(2, 7, UINT64_MAX))->value, 4);
  EXPECT_EQ(t.size(), ids.size() - 2);
}

// Room reserved (as the roles do, Settings::expected_transactions) changes nothing found:
// a participant's numbers have gaps (it sees only its own transactions), its table fills
// past a block of slots, and slots freed across blocks are reused.
TEST(TxTable, ReservedRoomChangesNothingFound) {
  TxTable<Rec> t;
  t.reserve(100);
  std::map<uint64_t, const Rec*> where;
  for (uint64_t seq = 1; seq <= 400; seq += 3) {
    Rec& r = t.get_or_add(tx(1, 0, seq));
    r.value = static_cast<int64_t>(seq);
    where[seq] = &r;
  }
  for (uint64_t seq = 1; seq <= 400; seq += 6) t.erase(*t.find(tx(1, 0, seq)));
  for (uint64_t seq = 1000; seq < 1100; ++seq) t.get_or_add(tx(1, 1, seq)).value = static_cast<int64_t>(seq);
  for (uint64_t seq = 1; seq <= 400; ++seq) {
    const Rec* r = t.find(tx(1, 0, seq));
    if (seq % 3 != 1 || seq % 6 == 1) {
      EXPECT_EQ(r, nullptr) << seq;
    } else {
      ASSERT_NE(r, nullptr) << seq;
      EXPECT_EQ(r, where[seq]) << seq;  // not moved by the later adds
      EXPECT_EQ(r->value, static_cast<int64_t>(seq));
    }
  }
  for (uint64_t seq = 1000; seq < 1100; ++seq) EXPECT_EQ(t.find(tx(1, 1, seq))->value, static_cast<int64_t>(seq));
  EXPECT_EQ(t.size(), 134u - 67u + 100u);
}

TEST(TxTable, ReferencesStayValidAsTheTableGrows) {
  TxTable<Rec> t;
  Rec& first = t.get_or_add(tx(1, 0, 1));
  first.value = 11;
  for (uint64_t seq = 2; seq < 5000; ++seq) t.get_or_add(tx(1, 0, seq));
  EXPECT_EQ(&first, t.find(tx(1, 0, 1)));
  EXPECT_EQ(first.value, 11);
}

}  // namespace
}  // namespace dsim::twopc
