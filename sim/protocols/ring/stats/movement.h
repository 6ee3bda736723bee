// Key movement between two assignments of the same keys: what one membership change
// did. Shared by ring-stats and the simulated store, so both count the same way.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

struct KeyMove {
  size_t key;  // index into the key list
  NodeTag from, to;
};

struct Movement {
  uint64_t keys = 0;
  uint64_t moved = 0;                 // primary owner changed
  uint64_t moved_from_survivors = 0;  // ...from a node that is a member before and after
  uint64_t moved_to_others = 0;       // ...between two such nodes (never needed)
  uint64_t replica_copies_moved = 0;  // (key, node) replica pairs that are new
  uint64_t replica_copies = 0;        // keys * stride after the change
  std::vector<uint64_t> gained;       // by tag: keys whose primary moved to it
  std::vector<uint64_t> lost;         // by tag: keys whose primary moved away
  std::vector<KeyMove> sample;        // the first moves, in key order (bounded)

  uint64_t nodes_gaining() const;
  uint64_t nodes_losing() const;
};

// `before`/`after`: owners flattened with the given strides (primary first). `changed`
// is the node that joined or left. `tag_limit` bounds every tag (sizes gained/lost).
Movement compare_assignments(std::span<const NodeTag> before, size_t stride_before,
                             std::span<const NodeTag> after, size_t stride_after, NodeTag changed,
                             size_t tag_limit, size_t sample_limit);
// The same when several nodes joined or left at once (`changed`, each below tag_limit):
// survivors are the nodes not among them.
Movement compare_assignments(std::span<const NodeTag> before, size_t stride_before,
                             std::span<const NodeTag> after, size_t stride_after,
                             std::span<const NodeTag> changed, size_t tag_limit, size_t sample_limit);

}  // namespace dsim::ring
