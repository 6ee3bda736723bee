// The fast lookups answer exactly what the plain definitions do: the ring's successor
// against a sorted search, jump against Lamping & Veach's published code.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/rng.h"
#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/placement.h"
#include "protocols/ring/placement/ring_points.h"

namespace dsim::ring {
namespace {

// The successor by definition: the first point at or after h, wrapping to the first.
size_t successor_by_search(const std::vector<uint64_t>& sorted, uint64_t h) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), h);
  return it == sorted.end() ? 0 : static_cast<size_t>(it - sorted.begin());
}

TEST(RingPoints, SuccessorMatchesASortedSearch) {
  Rng rng(11);
  for (size_t count : {1u, 2u, 3u, 7u, 100u, 1000u, 4096u, 100000u}) {
    std::vector<std::pair<uint64_t, NodeTag>> points;
    for (size_t i = 0; i < count; ++i) points.emplace_back(rng.next_u64(), static_cast<NodeTag>(i % 13));
    if (count > 2) points[1].first = points[0].first;  // a duplicate hash
    RingPoints ring;
    ring.build(points);
    ASSERT_EQ(ring.size(), count);
    std::vector<uint64_t> sorted;
    for (size_t i = 0; i < count; ++i) sorted.push_back(ring.hash(i));
    ASSERT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
    std::vector<uint64_t> probes = {0, 1, UINT64_MAX, UINT64_MAX - 1};
    for (uint64_t h : sorted) probes.insert(probes.end(), {h, h - 1, h + 1});
    for (int i = 0; i < 20000; ++i) probes.push_back(rng.next_u64());
    for (uint64_t h : probes) {
      ASSERT_EQ(ring.successor(h), successor_by_search(sorted, h)) << count << " points, h=" << h;
    }
  }
}

// Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014), as printed.
int32_t published_jump(uint64_t key, int32_t num_buckets) {
  int64_t b = -1, j = 0;
  while (j < num_buckets) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = static_cast<int64_t>(static_cast<double>(b + 1) *
                             (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<int32_t>(b);
}

// Every build of the walk (portable, SSE4.1, and FMA with its unrolled lengths: 8 steps
// up to 20 buckets, 12 up to 1096, 16 up to 59874, 20 beyond) gives the published bucket
// as owner, and the published bucket first in the preference list.
TEST(Jump, OwnersAreThePublishedBuckets) {
  std::vector<JumpBuild> builds = {JumpBuild::kPortable};
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse4.1")) builds.push_back(JumpBuild::kSse41);
  if (__builtin_cpu_supports("fma")) builds.push_back(JumpBuild::kFma);
  for (JumpBuild build : builds) {
    Rng rng(5);
    for (uint32_t n : {1u, 2u, 3u, 10u, 20u, 21u, 999u, 1000u, 1097u, 4097u, 59875u}) {
      auto p = make_jump(build);
      std::vector<Member> members;
      for (uint32_t i = 0; i < n; ++i) members.push_back(Member{i, "node-" + std::to_string(i), 1.0});
      p->add_all(members);  // bucket i is the member with tag i
      std::vector<NodeTag> prefs;
      for (int k = 0; k < 20000; ++k) {
        uint64_t key = rng.next_u64();
        const auto expected = static_cast<NodeTag>(published_jump(key, static_cast<int32_t>(n)));
        ASSERT_EQ(p->owner(key), expected) << "build " << static_cast<int>(build) << ", " << n << " buckets, key " << key;
        if (k % 16 == 0) {
          p->preference_list(key, 3, prefs);
          ASSERT_EQ(prefs.front(), expected) << "build " << static_cast<int>(build) << ", " << n << " buckets";
        }
      }
    }
  }
}

}  // namespace
}  // namespace dsim::ring
