// `envoy-ring`: Envoy's ring hash load balancer (envoyproxy/envoy,
// source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc), itself a port of
// ketama with xxHash64. Host weights are normalised to w / sum; the ring holds
// scale = min(ceil(min_weight * minimum_ring_size) / min_weight, maximum_ring_size)
// hashes (Envoy's defaults: 1024 and 8M), and host h gets hashes until a running total
// reaches the running sum of scale * weight, so the least-weighted host gets a whole
// number of them. Hash i of a host named X sits at XXH64("X_i", seed 0). A request's key
// is hashed with XXH64 (seed 0) as Envoy hashes a header or cookie; its host owns the
// first hash at or after it, wrapping.
//
// Envoy walks hosts in its host-set order; this walks them in name order, so the ring
// depends on the member set alone. The two agree whenever every host's running targets
// fall on whole numbers, which is always the case with equal weights. Verified against
// ring_hash_lb_test.cc's published rings in tests/ring/layouts_test.cpp.
#include <cmath>
#include <string>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/point_ring_layout.h"

namespace dsim::ring {
namespace {

class EnvoyRing final : public PointRingLayout {
 public:
  EnvoyRing(uint64_t min_ring_size, uint64_t max_ring_size) : min_(min_ring_size), max_(max_ring_size) {}

  std::string_view algorithm() const override { return "envoy-ring"; }
  bool supports_weights() const override { return true; }
  uint64_t hash_key(std::string_view key) const override { return xxh64(key, 0); }

 private:
  std::vector<std::pair<uint64_t, NodeTag>> place_points() const override {
    std::vector<std::pair<uint64_t, NodeTag>> points;
    if (members_.size() == 0) return points;
    const auto hosts = members_by_name(members_);
    const double sum = members_.total_weight();
    double min_weight = 1.0;
    for (const Member* h : hosts) min_weight = std::min(min_weight, h->weight * 1.0 / sum);
    const double scale = std::min(std::ceil(min_weight * static_cast<double>(min_)) / min_weight,
                                  static_cast<double>(max_));
    double current = 0.0, target = 0.0;
    for (const Member* h : hosts) {
      target += scale * (h->weight * 1.0 / sum);
      for (uint64_t i = 0; current < target; ++i, ++current) {
        points.emplace_back(xxh64(h->name + "_" + std::to_string(i), 0), h->tag);
      }
    }
    return points;
  }

  uint64_t min_, max_;
};

}  // namespace

std::unique_ptr<Placement> make_envoy_ring(uint64_t min_ring_size, uint64_t max_ring_size) {
  return std::make_unique<EnvoyRing>(min_ring_size, max_ring_size);
}

}  // namespace dsim::ring
