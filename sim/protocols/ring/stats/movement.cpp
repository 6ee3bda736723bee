#include "protocols/ring/stats/movement.h"

#include <algorithm>

namespace dsim::ring {

uint64_t Movement::nodes_gaining() const {
  return static_cast<uint64_t>(std::count_if(gained.begin(), gained.end(), [](uint64_t g) { return g > 0; }));
}
uint64_t Movement::nodes_losing() const {
  return static_cast<uint64_t>(std::count_if(lost.begin(), lost.end(), [](uint64_t l) { return l > 0; }));
}

Movement compare_assignments(std::span<const NodeTag> before, size_t stride_before,
                             std::span<const NodeTag> after, size_t stride_after, NodeTag changed,
                             size_t tag_limit, size_t sample_limit) {
  return compare_assignments(before, stride_before, after, stride_after, std::span<const NodeTag>(&changed, 1),
                             tag_limit, sample_limit);
}

Movement compare_assignments(std::span<const NodeTag> before, size_t stride_before,
                             std::span<const NodeTag> after, size_t stride_after,
                             std::span<const NodeTag> changed_nodes, size_t tag_limit, size_t sample_limit) {
  std::vector<bool> changed(tag_limit, false);
  for (NodeTag t : changed_nodes) changed.at(t) = true;
  Movement m;
  m.keys = stride_before == 0 ? 0 : before.size() / stride_before;
  m.gained.assign(tag_limit, 0);
  m.lost.assign(tag_limit, 0);
  m.replica_copies = m.keys * stride_after;
  for (size_t k = 0; k < m.keys; ++k) {
    const NodeTag from = before[k * stride_before];
    const NodeTag to = after[k * stride_after];
    if (from != to) {
      ++m.moved;
      ++m.gained[to];
      ++m.lost[from];
      if (!changed[from]) ++m.moved_from_survivors;
      if (!changed[from] && !changed[to]) ++m.moved_to_others;
      if (m.sample.size() < sample_limit) m.sample.push_back({k, from, to});
    }
    if (stride_before > 1 || stride_after > 1) {
      auto old_set = before.subspan(k * stride_before, stride_before);
      for (size_t i = 0; i < stride_after; ++i) {
        if (std::find(old_set.begin(), old_set.end(), after[k * stride_after + i]) == old_set.end()) {
          ++m.replica_copies_moved;
        }
      }
    } else if (from != to) {
      ++m.replica_copies_moved;
    }
  }
  return m;
}

}  // namespace dsim::ring
