// `multiprobe`: multi-probe consistent hashing (Appleton & Eisenbud, 2015). One point per
// node, but the key is hashed `probes` times; each probe finds its successor point, and
// the key goes to the node whose point is closest after any probe. More probes, better
// balance (21 probes: peak-to-mean ~1.05) with O(nodes) memory instead of O(nodes *
// vnodes), at the cost of `probes` searches per lookup. No weights (the paper has none).
// Probe k of a key is mix64(key_hash ^ k * golden ratio), k = 0..probes-1.
//
// Replicas: the distinct nodes the probes found, closest first, then (if fewer than R)
// the next distinct nodes clockwise from the closest one.
#include <algorithm>
#include <cmath>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"
#include "protocols/ring/placement/ring_points.h"

namespace dsim::ring {
namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

class MultiProbe final : public RebuildingPlacement {
 public:
  explicit MultiProbe(uint32_t probes) : probes_(probes) {}

  std::string_view algorithm() const override { return "multiprobe"; }

  NodeTag owner(uint64_t key_hash) const override {
    uint64_t best_distance = UINT64_MAX;
    size_t best = 0;
    for (uint64_t k = 0; k < probes_; ++k) {
      uint64_t probe = mix64(key_hash ^ (k * kGolden));
      size_t p = points_.successor(probe);
      uint64_t d = points_.hash(p) - probe;  // clockwise distance, wrapping
      if (d < best_distance) best_distance = d, best = p;
    }
    return points_.tag(best);
  }

  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    std::vector<std::pair<uint64_t, size_t>> found;  // (distance, point)
    for (uint64_t k = 0; k < probes_; ++k) {
      uint64_t probe = mix64(key_hash ^ (k * kGolden));
      size_t p = points_.successor(probe);
      found.emplace_back(points_.hash(p) - probe, p);
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out.clear();
    const size_t want = std::min(r, members_.size());
    for (const auto& [d, p] : found) {
      if (out.size() < want && !contains_tag(out, points_.tag(p))) out.push_back(points_.tag(p));
    }
    if (out.size() < want) points_.walk_distinct(found.front().second, want, out);
  }

  // A probe at clockwise distance x before a point picks that point's node at distance
  // x, so with the arcs a_j before each point, one probe's distance D has
  // P(D > x) = 1 - F(x), F(x) = sum_j min(x, a_j), and the node behind arc a_i wins a
  // key with probability  probes * integral_0^a_i (1 - F(x))^(probes - 1) dx.
  // F is piecewise linear between the sorted arcs, so the integral is exact per piece.
  std::vector<double> exact_shares() const override {
    const size_t n = points_.size();
    std::vector<std::pair<double, size_t>> arcs;  // (arc, point)
    for (size_t i = 0; i < n; ++i) arcs.emplace_back(points_.arc_fraction(i), i);
    std::sort(arcs.begin(), arcs.end());
    std::vector<double> by_point(n, 0.0);
    const double k = probes_;
    double covered = 0, x = 0, acc = 0;  // F(x) = covered + longer * x
    for (size_t j = 0; j < n; ++j) {
      const double longer = static_cast<double>(n - j);
      const double b = arcs[j].first;
      double lo = std::max(0.0, 1 - covered - longer * x), hi = std::max(0.0, 1 - covered - longer * b);
      acc += (std::pow(lo, k) - std::pow(hi, k)) / longer;
      by_point[arcs[j].second] = acc;
      covered += b;
      x = b;
    }
    std::vector<size_t> index = members_.index_by_tag();
    std::vector<double> share(members_.size(), 0.0);
    for (size_t i = 0; i < n; ++i) share[index[points_.tag(i)]] = by_point[i];
    return share;
  }

  size_t memory_bytes() const override { return points_.memory_bytes(); }

 private:
  void rebuild() override {
    std::vector<std::pair<uint64_t, NodeTag>> points;
    for (const Member& m : members_.all()) points.emplace_back(xxh64(m.name, 0), m.tag);
    points_.build(std::move(points));
  }

  uint32_t probes_;
  RingPoints points_;
};

}  // namespace

std::unique_ptr<Placement> make_multiprobe(uint32_t probes) {
  return std::make_unique<MultiProbe>(probes);
}

}  // namespace dsim::ring
