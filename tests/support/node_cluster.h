// A cluster of `n` nodes named n0, n1, ... with the role "node": for tests of shared
// check helpers, which need nodes but no family's roles.
#pragma once

#include <cstddef>
#include <string>

#include "core/cluster.h"

namespace dsim::testing {

inline Cluster node_cluster(size_t n) {
  Cluster c;
  for (size_t i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

}  // namespace dsim::testing
