// `bounded`: consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam,
// SODA 2018). Keys are placed in order on a Karger ring, but a node holding its capacity
// ceil((1 + epsilon) * keys * R * weight / total weight) is skipped, so the key goes on
// clockwise. Peak-to-mean is at most 1 + epsilon by construction. A key's place depends
// on the keys placed before it, so there is no per-key lookup: assign() places a whole
// key set (per_key() is false), and a membership change re-places the set, moving
// O(1/epsilon^2) times the ideal number of keys in the paper's analysis.
#include <algorithm>
#include <cmath>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"
#include "protocols/ring/placement/ring_points.h"

namespace dsim::ring {
namespace {

class Bounded final : public RebuildingPlacement {
 public:
  Bounded(uint32_t vnodes, double epsilon) : vnodes_(vnodes), epsilon_(epsilon) {}

  std::string_view algorithm() const override { return "bounded"; }
  bool supports_weights() const override { return true; }
  bool per_key() const override { return false; }

  // Without the bound (the plain ring): what a lone key would get.
  NodeTag owner(uint64_t key_hash) const override { return points_.tag(points_.successor(key_hash)); }
  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    points_.walk_distinct(points_.successor(key_hash), std::min(r, members_.size()), out);
  }

  void assign(std::span<const uint64_t> key_hashes, size_t r, std::vector<NodeTag>& out) const override {
    const auto& all = members_.all();
    const size_t stride = std::min(r, all.size());
    out.assign(key_hashes.size() * stride, 0);
    std::vector<size_t> index = members_.index_by_tag();
    const double total_weight = members_.total_weight();
    std::vector<uint64_t> capacity(all.size()), load(all.size(), 0);
    const double copies = static_cast<double>(key_hashes.size() * stride);
    for (size_t i = 0; i < all.size(); ++i) {
      capacity[i] = static_cast<uint64_t>(std::ceil((1 + epsilon_) * copies * all[i].weight / total_weight));
    }
    std::vector<NodeTag> chosen;
    for (size_t k = 0; k < key_hashes.size(); ++k) {
      chosen.clear();
      size_t p = points_.successor(key_hashes[k]);
      for (size_t steps = 0; steps < points_.size() && chosen.size() < stride; ++steps, p = points_.next(p)) {
        NodeTag t = points_.tag(p);
        if (load[index[t]] < capacity[index[t]] && !contains_tag(chosen, t)) {
          chosen.push_back(t);
          ++load[index[t]];
        }
      }
      // Total capacity exceeds keys * stride, so this never runs short; stay total anyway.
      if (chosen.size() < stride) points_.walk_distinct(points_.successor(key_hashes[k]), stride, chosen);
      std::copy(chosen.begin(), chosen.end(), out.begin() + static_cast<std::ptrdiff_t>(k * stride));
    }
  }

  size_t memory_bytes() const override { return points_.memory_bytes(); }

 private:
  void rebuild() override {
    points_.build(virtual_node_points(members_.all(), vnodes_));
  }

  uint32_t vnodes_;
  double epsilon_;
  RingPoints points_;
};

}  // namespace

std::unique_ptr<Placement> make_bounded(uint32_t vnodes, double epsilon) {
  return std::make_unique<Bounded>(vnodes, epsilon);
}

}  // namespace dsim::ring
