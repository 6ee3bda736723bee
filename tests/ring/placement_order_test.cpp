// Placement is a function of the member set (and weights) alone: two placements that
// reached the same members through different histories of adds and removes own every key
// the same way. Every algorithm promises it except jump, whose remove-by-swap makes the
// bucket order (and so the owners) depend on history by design.
//
// The histories are random walks drawn from the project's seeded generator: each step adds
// a non-member or removes a member, one at a time or several at once (add_all). At
// checkpoints the walked placement is compared with fresh ones built from the same members
// in tag order and in a shuffled order: owners and replica lists of random key hashes,
// every maglev slot, exact shares, and (for bounded loads) the whole assignment.
#include <gtest/gtest.h>

#include <map>

#include "core/rng.h"
#include "protocols/ring/placement/placement.h"

namespace dsim::ring {
namespace {

constexpr uint32_t kUniverse = 12;  // candidate members node-0 .. node-11
constexpr uint32_t kTableSize = 251;

PlacementOptions options_for(const std::string& algorithm) {
  PlacementOptions o;
  o.algorithm = algorithm;
  o.vnodes = 20;
  o.table_size = kTableSize;  // small enough that the probes below hit every slot
  o.probes = 5;
  return o;
}

Member candidate(uint32_t i, bool weighted) {
  static const double kWeights[] = {1.0, 2.0, 0.5, 1.5};
  return Member{i, "node-" + std::to_string(i), weighted ? kWeights[i % 4] : 1.0};
}

// Key hashes to probe with: random ones, plus one landing in each maglev slot (fast_range
// maps ceil(s * 2^64 / M) to slot s).
std::vector<uint64_t> probe_hashes(Rng& rng) {
  std::vector<uint64_t> out;
  for (int i = 0; i < 2000; ++i) out.push_back(rng.next_u64());
  for (uint64_t s = 0; s < kTableSize; ++s) {
    const unsigned __int128 h = ((static_cast<unsigned __int128>(s) << 64) + kTableSize - 1) / kTableSize;
    out.push_back(static_cast<uint64_t>(h));
  }
  return out;
}

// Everything a caller can observe about the placement, keyed by tag, not listing order.
struct Observed {
  std::vector<NodeTag> owners;
  std::vector<NodeTag> replicas;  // 3 per key, flattened
  std::vector<NodeTag> assigned;  // assign(), 2 per key (bounded's capacity-aware sets)
  std::map<NodeTag, double> shares;
};

Observed observe(const Placement& p, const std::vector<uint64_t>& hashes) {
  Observed o;
  std::vector<NodeTag> list;
  for (uint64_t h : hashes) {
    o.owners.push_back(p.owner(h));
    p.preference_list(h, 3, list);
    o.replicas.insert(o.replicas.end(), list.begin(), list.end());
  }
  p.assign(hashes, 2, o.assigned);
  std::vector<double> shares = p.exact_shares();
  for (size_t i = 0; i < shares.size(); ++i) o.shares[p.members()[i].tag] = shares[i];
  return o;
}

void expect_same(const Observed& a, const Observed& b, const std::string& what) {
  EXPECT_EQ(a.owners, b.owners) << what << ": owners differ";
  EXPECT_EQ(a.replicas, b.replicas) << what << ": replica lists differ";
  EXPECT_EQ(a.assigned, b.assigned) << what << ": assignments differ";
  EXPECT_EQ(a.shares, b.shares) << what << ": exact shares differ";
}

std::unique_ptr<Placement> fresh(const std::string& algorithm, std::vector<Member> members, Rng* shuffle) {
  if (shuffle != nullptr) shuffle->shuffle(members);
  auto p = make_placement(options_for(algorithm));
  p->add_all(members);
  return p;
}

// One random history of `steps` changes; compares with fresh builds every few steps.
// Returns how many checkpoints differed (0 when placement ignores history).
int walk(const std::string& algorithm, bool weighted, uint64_t seed, int steps, bool expect_equal) {
  Rng rng = Rng::stream(seed, "placement-order/" + algorithm);
  const std::vector<uint64_t> hashes = probe_hashes(rng);
  auto p = make_placement(options_for(algorithm));
  std::vector<bool> in(kUniverse, false);
  auto members_sorted = [&] {
    std::vector<Member> out;
    for (uint32_t i = 0; i < kUniverse; ++i) {
      if (in[i]) out.push_back(candidate(i, weighted));
    }
    return out;
  };
  // Start from a random half, added in a random order.
  std::vector<Member> start;
  for (uint32_t i = 0; i < kUniverse; ++i) {
    if (rng.bernoulli(0.5) || i == 0) start.push_back(candidate(i, weighted)), in[i] = true;
  }
  rng.shuffle(start);
  p->add_all(start);
  int differed = 0;
  for (int step = 1; step <= steps; ++step) {
    std::vector<uint32_t> outside, inside;
    for (uint32_t i = 0; i < kUniverse; ++i) (in[i] ? inside : outside).push_back(i);
    const bool add = inside.size() == 1 || (!outside.empty() && rng.bernoulli(0.5));
    if (add && outside.size() >= 2 && rng.bernoulli(0.3)) {  // several at once
      rng.shuffle(outside);
      std::vector<Member> batch;
      for (size_t k = 0; k < 2; ++k) batch.push_back(candidate(outside[k], weighted)), in[outside[k]] = true;
      p->add_all(batch);
    } else if (add) {
      const uint32_t i = outside[rng.uniform(outside.size())];
      p->add(candidate(i, weighted));
      in[i] = true;
    } else {
      const uint32_t i = inside[rng.uniform(inside.size())];
      p->remove(i);
      in[i] = false;
    }
    if (step % 5 != 0) continue;
    const Observed walked = observe(*p, hashes);
    const Observed by_tag = observe(*fresh(algorithm, members_sorted(), nullptr), hashes);
    const Observed shuffled = observe(*fresh(algorithm, members_sorted(), &rng), hashes);
    const std::string what = algorithm + (weighted ? " (weighted)" : "") + " seed " + std::to_string(seed) +
                             " step " + std::to_string(step);
    if (expect_equal) {
      expect_same(walked, by_tag, what + ", walked vs built in tag order");
      expect_same(shuffled, by_tag, what + ", built shuffled vs in tag order");
    }
    differed += walked.owners != by_tag.owners || walked.replicas != by_tag.replicas;
  }
  return differed;
}

TEST(PlacementOrder, EveryAlgorithmButJumpDependsOnTheMemberSetAlone) {
  for (const std::string& algorithm : placement_algorithms()) {
    // What the store's shared assignments rely on (store/shared_assignments.h).
    EXPECT_EQ(make_placement(options_for(algorithm))->depends_on_history(), algorithm == "jump") << algorithm;
    if (algorithm == "jump") continue;
    const bool weights = make_placement(options_for(algorithm))->supports_weights();
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      walk(algorithm, /*weighted=*/false, seed, 40, /*expect_equal=*/true);
      if (weights) walk(algorithm, /*weighted=*/true, seed, 40, /*expect_equal=*/true);
    }
  }
}

// The defect this pins: maglev filled its table in join order, so a node that left and
// came back took its turns last and the table differed from a fresh one's.
TEST(PlacementOrder, MaglevTableIsTheSameAfterALeaveAndRejoin) {
  PlacementOptions o;
  o.algorithm = "maglev";
  o.table_size = 65537;
  std::vector<Member> members;
  for (uint32_t i = 0; i < 5; ++i) members.push_back(candidate(i, false));
  auto before = make_placement(o);
  before->add_all(members);
  auto after = make_placement(o);
  after->add_all(members);
  after->remove(2);
  after->add(candidate(2, false));
  size_t differ = 0;
  for (uint64_t s = 0; s < o.table_size; ++s) {
    const unsigned __int128 h = ((static_cast<unsigned __int128>(s) << 64) + o.table_size - 1) / o.table_size;
    differ += before->owner(static_cast<uint64_t>(h)) != after->owner(static_cast<uint64_t>(h));
  }
  EXPECT_EQ(differ, 0u) << differ << " of " << o.table_size << " slots changed owner";
}

// Jump is the exception, as its file and the ring README say: removing an inner bucket
// swaps the last node into its number, so the same members in another history own keys
// differently.
TEST(PlacementOrder, JumpDependsOnHistoryByDesign) {
  int differed = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) differed += walk("jump", false, seed, 40, /*expect_equal=*/false);
  EXPECT_GT(differed, 0);
}

}  // namespace
}  // namespace dsim::ring
