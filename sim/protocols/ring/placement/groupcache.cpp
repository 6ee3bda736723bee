// `groupcache`: the consistent hash of Go's groupcache (github.com/golang/groupcache,
// consistenthash/consistenthash.go). Each peer named X gets `replicas` points at
// CRC-32/IEEE of strconv.Itoa(i) + X (the index first: "0X", "1X", ...); a key sits at
// the CRC-32 of its bytes and belongs to the first point at or after it, wrapping.
// groupcache's HTTPPool uses 50 replicas; here the option is `vnodes`.
//
// Two peers' points can collide (32-bit hashes); groupcache then gives the point to the
// peer added last. Here it goes to the peer whose name sorts last, which is what
// groupcache does when its peers are set in name order, and keeps the ring a function of
// the member set. Verified against consistenthash_test.go in tests/ring/layouts_test.cpp.
#include <map>
#include <string>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/digests.h"
#include "protocols/ring/placement/point_ring_layout.h"

namespace dsim::ring {
namespace {

class Groupcache final : public PointRingLayout {
 public:
  Groupcache(uint32_t replicas, std::function<uint32_t(std::string_view)> hash)
      : replicas_(replicas), hash_(std::move(hash)) {}

  std::string_view algorithm() const override { return "groupcache"; }
  uint64_t hash_key(std::string_view key) const override { return position_of_u32(hash_(key)); }

 private:
  std::vector<std::pair<uint64_t, NodeTag>> place_points() const override {
    std::map<uint32_t, NodeTag> owner;  // a later name overwrites, as a later Add does
    for (const Member* m : members_by_name(members_)) {
      for (uint32_t i = 0; i < replicas_; ++i) owner[hash_(std::to_string(i) + m->name)] = m->tag;
    }
    std::vector<std::pair<uint64_t, NodeTag>> points;
    for (const auto& [h, tag] : owner) points.emplace_back(position_of_u32(h), tag);
    return points;
  }

  uint32_t replicas_;
  std::function<uint32_t(std::string_view)> hash_;
};

}  // namespace

std::unique_ptr<Placement> make_groupcache(uint32_t replicas, std::function<uint32_t(std::string_view)> hash) {
  if (!hash) hash = [](std::string_view bytes) { return crc32_ieee(bytes); };
  return std::make_unique<Groupcache>(replicas, std::move(hash));
}

}  // namespace dsim::ring
