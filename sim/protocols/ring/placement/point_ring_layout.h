// The base of the real-system layouts that put points on a hash circle (ketama, Envoy's
// ring hash, Cassandra's tokens, groupcache): a key belongs to the first point at or after
// its position, wrapping past the top, and its replicas are the next distinct nodes
// clockwise (Cassandra's SimpleStrategy walk). Each layout says how it places points and
// hashes keys. Positions are 64-bit: a system with 32-bit hashes puts them in the top 32
// bits (order, and so every successor, is unchanged); Cassandra's signed tokens are offset
// by 2^63 so that their signed order is the unsigned one.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "protocols/ring/placement/member_list.h"
#include "protocols/ring/placement/ring_points.h"

namespace dsim::ring {

class PointRingLayout : public RebuildingPlacement {
 public:
  NodeTag owner(uint64_t key_position) const override {
    if (points_.size() == 0) return members_by_name(members_).front()->tag;  // nobody holds a point
    return points_.tag(points_.successor(key_position));
  }
  void preference_list(uint64_t key_position, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    const size_t want = std::min(r, members_.size());
    if (points_.size() > 0) points_.walk_distinct(points_.successor(key_position), want, out);
    complete_with_pointless_members(members_, want, out);
  }
  std::vector<double> exact_shares() const override {
    std::vector<double> share(members_.size(), 0.0);
    std::vector<size_t> index = members_.index_by_tag();
    for (size_t i = 0; i < points_.size(); ++i) share[index[points_.tag(i)]] += points_.arc_fraction(i);
    return share;
  }
  size_t memory_bytes() const override { return points_.memory_bytes(); }

  // The circle's points in clockwise order, as (position, tag): what tests compare with
  // the systems' published rings.
  std::vector<std::pair<uint64_t, NodeTag>> points() const {
    std::vector<std::pair<uint64_t, NodeTag>> out;
    for (size_t i = 0; i < points_.size(); ++i) out.emplace_back(points_.hash(i), points_.tag(i));
    return out;
  }

 protected:
  // The layout's points for the current members, in any order (RingPoints sorts them by
  // position, then tag).
  virtual std::vector<std::pair<uint64_t, NodeTag>> place_points() const = 0;

 private:
  void rebuild() final { points_.build(place_points()); }

  RingPoints points_;
};

// A 32-bit hash as a circle position: in the top half, so that comparisons are unchanged.
constexpr uint64_t position_of_u32(uint32_t h) { return static_cast<uint64_t>(h) << 32; }

}  // namespace dsim::ring
