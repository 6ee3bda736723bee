// Seed ranges and shards: N shards are disjoint and together cover a range exactly once.
#include <gtest/gtest.h>

#include <algorithm>

#include "explore/seed_range.h"

namespace dsim::explore {
namespace {

std::vector<uint64_t> drain(SeedSequence s) {
  std::vector<uint64_t> out;
  while (auto seed = s.next()) out.push_back(*seed);
  return out;
}

TEST(SeedRange, ParsesRangesAndShards) {
  std::string error;
  auto r = parse_seed_range("3..17", error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 3u);
  EXPECT_EQ(r->last, 17u);
  auto single = parse_seed_range("42", error);
  ASSERT_TRUE(single);
  EXPECT_EQ(single->first, 42u);
  EXPECT_EQ(single->last, 42u);
  EXPECT_FALSE(parse_seed_range("17..3", error));
  EXPECT_NE(error.find("A <= B"), std::string::npos) << error;
  EXPECT_FALSE(parse_seed_range("1..", error));
  EXPECT_FALSE(parse_seed_range("-1..4", error));
  EXPECT_FALSE(parse_seed_range("a..b", error));
  auto shard = parse_shard("2/5", error);
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2u);
  EXPECT_EQ(shard->count, 5u);
  EXPECT_FALSE(parse_shard("5/5", error));
  EXPECT_FALSE(parse_shard("0/0", error));
  EXPECT_FALSE(parse_shard("1", error));
}

TEST(SeedRange, ShardsAreDisjointAndCoverTheRangeExactlyOnce) {
  const SeedRange ranges[] = {{0, 17}, {5, 5}, {1, 1000}, {UINT64_MAX - 10, UINT64_MAX}};
  for (SeedRange range : ranges) {
    for (uint64_t n = 1; n <= 7; ++n) {
      std::vector<uint64_t> all;
      for (uint64_t i = 0; i < n; ++i) {
        std::vector<uint64_t> mine = drain(SeedSequence(range, Shard{i, n}));
        EXPECT_EQ(mine.size(), owned_seed_count(range, Shard{i, n}));
        for (uint64_t s : mine) EXPECT_EQ(s % n, i);
        EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
        all.insert(all.end(), mine.begin(), mine.end());
      }
      std::sort(all.begin(), all.end());
      ASSERT_EQ(all.size(), range.last - range.first + 1) << "n=" << n;
      for (size_t k = 0; k < all.size(); ++k) EXPECT_EQ(all[k], range.first + k);
    }
  }
}

TEST(SeedRange, SequenceSkipsSeedsAlreadyDone) {
  std::vector<uint64_t> seeds = drain(SeedSequence({1, 10}, Shard{1, 2}, {3, 9, 42}));
  EXPECT_EQ(seeds, (std::vector<uint64_t>{1, 5, 7}));
}

}  // namespace
}  // namespace dsim::explore
