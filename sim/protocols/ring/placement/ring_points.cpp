#include "protocols/ring/placement/ring_points.h"

#include <algorithm>
#include <cmath>

#include "protocols/ring/placement/member_list.h"

namespace dsim::ring {

void RingPoints::build(std::vector<std::pair<uint64_t, NodeTag>> points) {
  std::sort(points.begin(), points.end());
  points_.clear();
  points_.reserve(points.size());
  for (const auto& [h, t] : points) points_.push_back(Point{h, t});
  // 2^bits buckets with bits = floor(log2(points)): one to two points per bucket.
  int bits = 1;
  while (bits < 24 && (size_t{1} << (bits + 1)) <= points_.size()) ++bits;
  shift_ = 64 - bits;
  const size_t buckets = size_t{1} << bits;
  bucket_start_.assign(buckets + 1, 0);
  size_t i = 0;
  for (size_t b = 0; b < buckets; ++b) {
    while (i < points_.size() && (points_[i].hash >> shift_) < b) ++i;
    bucket_start_[b] = static_cast<uint32_t>(i);
  }
  bucket_start_[buckets] = static_cast<uint32_t>(points_.size());
}

void RingPoints::walk_distinct(size_t start, size_t want, std::vector<NodeTag>& out) const {
  size_t i = start;
  for (size_t steps = 0; steps < points_.size() && out.size() < want; ++steps) {
    if (!contains_tag(out, points_[i].tag)) out.push_back(points_[i].tag);
    i = next(i);
  }
}

double RingPoints::arc_fraction(size_t i) const {
  if (points_.size() == 1) return 1.0;
  uint64_t prev = points_[i == 0 ? points_.size() - 1 : i - 1].hash;
  uint64_t arc = points_[i].hash - prev;  // wraps correctly for i == 0
  return static_cast<double>(arc) / 18446744073709551616.0;
}

std::vector<std::pair<uint64_t, NodeTag>> virtual_node_points(const std::vector<Member>& members,
                                                              uint32_t vnodes) {
  std::vector<std::pair<uint64_t, NodeTag>> points;
  for (const Member& m : members) {
    auto count = std::max<long long>(1, std::llround(vnodes * m.weight));
    for (long long i = 0; i < count; ++i) points.emplace_back(xxh64(m.name, static_cast<uint64_t>(i)), m.tag);
  }
  return points;
}

}  // namespace dsim::ring
