// Node names for the ring checks' reports: the checks keep node ids, and show names only
// when they report.
#pragma once

#include <set>
#include <string>

#include "core/cluster.h"
#include "core/json.h"

namespace dsim::ring {

// The nodes' names as a JSON array sorted by name (as a std::set<std::string> would
// serialize): the order the checks' messages list a view in.
template <typename Nodes>
Json sorted_names(const Cluster& cluster, const Nodes& nodes) {
  std::set<std::string> names;
  for (NodeId n : nodes) names.insert(cluster.name(n));
  return Json(names);
}

}  // namespace dsim::ring
