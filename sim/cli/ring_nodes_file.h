// --nodes-file for `dsim ring lookup` and `dsim ring-stats`: reads the file and parses it
// with the ring family's one nodes-list parser (protocols/ring/placement/nodes_list.h).
#pragma once

#include <string>
#include <vector>

#include "protocols/ring/placement/placement.h"

namespace dsim::cli {

// Throws std::invalid_argument: "OPTION PATH: cannot be read", "PATH:LINE: ..." for a bad
// line, "OPTION PATH: no nodes" for a file without one.
std::vector<ring::Member> read_ring_nodes_file(const std::string& option, const std::string& path);

}  // namespace dsim::cli
