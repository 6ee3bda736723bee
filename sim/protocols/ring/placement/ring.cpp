// `ring`: Karger's consistent hashing. Each node puts round(vnodes * weight) points on a
// 64-bit circle (point i of node X at xxh64(X, seed i)); a key belongs to the first
// point at or after its hash. Removing a node moves only its own keys (to the nodes
// owning the next points, spread over ~vnodes successors); adding one takes keys only
// for itself. Load spread: stddev/mean ~ 1/sqrt(vnodes) (Lamping & Veach's table).

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"
#include "protocols/ring/placement/ring_points.h"

namespace dsim::ring {
namespace {

class KargerRing final : public RebuildingPlacement {
 public:
  explicit KargerRing(uint32_t vnodes) : vnodes_(vnodes) {}

  std::string_view algorithm() const override { return "ring"; }
  bool supports_weights() const override { return true; }

  NodeTag owner(uint64_t key_hash) const override {
    return points_.tag(points_.successor(key_hash));
  }
  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    points_.walk_distinct(points_.successor(key_hash), std::min(r, members_.size()), out);
  }

  std::vector<double> exact_shares() const override {
    std::vector<double> share(members_.size(), 0.0);
    std::vector<size_t> index = members_.index_by_tag();
    for (size_t i = 0; i < points_.size(); ++i) share[index[points_.tag(i)]] += points_.arc_fraction(i);
    return share;
  }
  size_t memory_bytes() const override { return points_.memory_bytes(); }

 private:
  void rebuild() override {
    points_.build(virtual_node_points(members_.all(), vnodes_));
  }

  uint32_t vnodes_;
  RingPoints points_;
};

}  // namespace

std::unique_ptr<Placement> make_karger_ring(uint32_t vnodes) {
  return std::make_unique<KargerRing>(vnodes);
}

}  // namespace dsim::ring
