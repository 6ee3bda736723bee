// A list of nodes as real systems' configuration files give it: one "name [weight]" a
// line (libketama's server list, an Envoy host list), '#' starting a comment line, blank
// lines skipped. The one parser behind `dsim ring lookup --nodes-file`, `dsim ring-stats
// --nodes-file` and the ring scenarios' `protocol.nodes_file`; the callers read the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

// Members tagged 0, 1, ... in listing order, weight 1 where none is given. Throws
// std::invalid_argument naming `source`:LINE and what was expected: a line with more than
// two fields, a weight that is not a positive finite number (at most 1e12), a name listed
// twice. An empty list is not an error here (callers say what they need).
std::vector<Member> parse_nodes_list(std::string_view text, const std::string& source);

}  // namespace dsim::ring
