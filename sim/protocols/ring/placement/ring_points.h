// Points on a 64-bit hash circle, each owned by a node, with O(1) successor search: a
// table indexed by a hash's top bits (at least as many buckets as points) gives the first
// point of the hash's bucket, and the answer is that index plus the number of the
// bucket's points below the hash. Each point keeps its owner beside its hash, so a lookup
// touches the table and one run of points, instead of the ~18 cache lines a binary
// search over 256k points would.
//
// The count is taken over a fixed number of points (the fullest bucket's size; points
// of later buckets never count, and padding past the end never does either), without a
// data-dependent branch. On this machine a table of 256k points is out of cache and a
// miss costs ~100 ns; with no branch to mispredict on the loaded hashes, the misses of
// successive lookups overlap instead of queueing.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

class RingPoints {
 public:
  // Sorts by (hash, tag): equal hashes (never seen in practice) still order the same way.
  void build(std::vector<std::pair<uint64_t, NodeTag>> points);

  size_t size() const { return count_; }
  uint64_t hash(size_t i) const { return points_[i].hash; }
  NodeTag tag(size_t i) const { return points_[i].tag; }
  size_t next(size_t i) const { return i + 1 == count_ ? 0 : i + 1; }

  // The first point at or after h clockwise (wrapping past the top). REQUIRES: size() > 0.
  size_t successor(uint64_t h) const {
    const uint32_t first = bucket_start_[static_cast<size_t>(h >> shift_)];
    const Point* run = points_.data() + first;
    uint32_t below = 0;
    for (uint32_t k = 0; k < longest_bucket_; ++k) below += run[k].hash < h;
    size_t i = first + below;
    return i == count_ ? 0 : i;
  }

  // Appends distinct tags clockwise from point `start` until `out` holds `want` (or the
  // circle is exhausted).
  void walk_distinct(size_t start, size_t want, std::vector<NodeTag>& out) const;

  // The arc ending at each point (the keys it owns), as a fraction of the circle.
  double arc_fraction(size_t i) const;

  size_t memory_bytes() const {
    return points_.capacity() * sizeof(Point) + bucket_start_.capacity() * sizeof(uint32_t);
  }

 private:
  struct Point {
    uint64_t hash;
    NodeTag tag;
  };
  std::vector<Point> points_;  // sorted, then longest_bucket_ padding points (hash max)
  size_t count_ = 0;            // points without the padding
  std::vector<uint32_t> bucket_start_;  // first point with top bits >= bucket
  uint32_t longest_bucket_ = 0;
  int shift_ = 63;
};

// Karger's points: round(vnodes * weight) per member (at least one), point i of member X
// at xxh64(X's name, seed i).
std::vector<std::pair<uint64_t, NodeTag>> virtual_node_points(const std::vector<Member>& members,
                                                              uint32_t vnodes);

}  // namespace dsim::ring
