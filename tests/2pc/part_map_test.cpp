// The ledger's per-transaction map of participants' sides (checks/part_map.h): NodeMap's
// behaviour (ascending node order, one value per node), in place up to four and on the
// heap past them.
#include "protocols/2pc/checks/part_map.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace dsim::twopc {
namespace {

std::vector<std::pair<NodeId, int>> items(const PartMap<int>& m) {
  std::vector<std::pair<NodeId, int>> out;
  for (const auto& [node, value] : m) out.emplace_back(node, value);
  return out;
}

TEST(PartMap, KeepsNodesAscendingWhateverTheOrderTheyCameIn) {
  PartMap<int> m;
  m[7] = 70;
  m[2] = 20;
  m[5] = 50;
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(items(m), (std::vector<std::pair<NodeId, int>>{{2, 20}, {5, 50}, {7, 70}}));
  ASSERT_NE(m.get(5), nullptr);
  EXPECT_EQ(*m.get(5), 50);
  EXPECT_EQ(m.get(3), nullptr);
  EXPECT_EQ(m.count(7), 1u);
  EXPECT_EQ(m.count(8), 0u);
}

TEST(PartMap, AnExistingNodeKeepsItsValue) {
  PartMap<int> m;
  m[4] = 1;
  m[4] += 1;
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m[4], 2);
  EXPECT_EQ(m[9], 0);  // a new node starts with a default value
  EXPECT_EQ(m.size(), 2u);
}

TEST(PartMap, PastFourItemsKeepsOrderAndValues) {
  PartMap<int> m;
  const std::vector<NodeId> order = {9, 3, 11, 1, 6, 0, 8, 4};
  for (NodeId n : order) m[n] = static_cast<int>(n) * 10;
  std::vector<std::pair<NodeId, int>> want;
  for (NodeId n : {0, 1, 3, 4, 6, 8, 9, 11}) want.emplace_back(n, static_cast<int>(n) * 10);
  EXPECT_EQ(items(m), want);
  for (NodeId n : order) {
    ASSERT_NE(m.get(n), nullptr) << n;
    EXPECT_EQ(*m.get(n), static_cast<int>(n) * 10);
  }
  EXPECT_EQ(m.get(2), nullptr);
  *m.get(6) = -1;  // values are changed in place
  EXPECT_EQ(m[6], -1);
  EXPECT_EQ(m.size(), order.size());
}

}  // namespace
}  // namespace dsim::twopc
