// The seed document's design, reproduced: these tests pin both the faithfulness (same
// owners as the Python, read with int.from_bytes(digest, "big")) and the flaws.
#include <gtest/gtest.h>

#include <algorithm>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {
namespace {

std::unique_ptr<Placement> seed_with(const std::vector<std::string>& names, const std::vector<NodeTag>& tags) {
  PlacementOptions o;
  o.algorithm = "seed";
  auto p = make_placement(o);
  for (size_t i = 0; i < names.size(); ++i) p->add(Member{tags[i], names[i], 1.0});
  return p;
}

std::unique_ptr<Placement> six_nodes() {
  return seed_with({"s0", "s1", "s2", "s3", "s4", "s5"}, {0, 1, 2, 3, 4, 5});
}

// Owners from the document's Python (with int.from_bytes(digest, "big") for the digests,
// since bytes + int raises TypeError as written).
TEST(SeedDesign, AgreesWithThePython) {
  auto p = six_nodes();
  const std::vector<NodeTag> expected = {2, 2, 0, 3, 3, 3, 3, 3, 4, 4, 5, 3};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(p->owner(p->hash_key("key-" + std::to_string(i))), expected[i]) << "key-" << i;
  }
}

TEST(SeedDesign, OnlyTheLowFourBitsOfTheKeyHashMatter) {
  auto p = six_nodes();
  for (uint64_t h = 0; h < 5000; ++h) {
    uint64_t wide = h * 0x9e3779b97f4a7c15ULL;
    EXPECT_EQ(p->owner(wide), p->owner(wide & 0xF));
  }
}

TEST(SeedDesign, AtMostSixteenNodesOwnAnything) {
  std::vector<std::string> names;
  std::vector<NodeTag> tags;
  for (NodeTag i = 0; i < 100; ++i) {
    names.push_back("node-" + std::to_string(i));
    tags.push_back(i);
  }
  auto p = seed_with(names, tags);
  std::vector<double> share = p->exact_shares();
  auto owning = std::count_if(share.begin(), share.end(), [](double s) { return s > 0; });
  EXPECT_LE(owning, 16);
  EXPECT_GE(std::count(share.begin(), share.end(), 0.0), 84);
}

// s0 and s6 both hash to position 3: equal distances for every key, and the Python's
// strict "<" gives every key to whichever is listed first.
TEST(SeedDesign, TiesGoToTheFirstListedNode) {
  auto p = seed_with({"s0", "s6"}, {0, 6});
  EXPECT_EQ(p->exact_shares(), (std::vector<double>{1.0, 0.0}));
  p->remove(0);
  EXPECT_EQ(p->exact_shares(), (std::vector<double>{1.0}));
}

TEST(SeedDesign, SixNodesAreBadlyUnbalancedAndAJoinChangesNothing) {
  auto p = six_nodes();
  std::vector<double> share = p->exact_shares();
  // Positions s5=0, s4=2, s0=3, s2=4, s3=11, s1=12: s3 covers 5..11, 7 of 16.
  EXPECT_DOUBLE_EQ(*std::max_element(share.begin(), share.end()), 7.0 / 16.0);
  EXPECT_DOUBLE_EQ(*std::min_element(share.begin(), share.end()), 1.0 / 16.0);
  p->add(Member{6, "s6", 1.0});
  std::vector<double> with_s6 = p->exact_shares();
  EXPECT_EQ(with_s6.back(), 0.0);  // s6 shares position 3 with s0, listed first
  with_s6.pop_back();
  EXPECT_EQ(with_s6, share);
}

}  // namespace
}  // namespace dsim::ring
