#include "cli/ring_nodes_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "protocols/ring/placement/nodes_list.h"

namespace dsim::cli {

std::vector<ring::Member> read_ring_nodes_file(const std::string& option, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(option + " " + path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::invalid_argument(option + " " + path + ": read error");
  std::vector<ring::Member> out = ring::parse_nodes_list(text.str(), path);
  if (out.empty()) throw std::invalid_argument(option + " " + path + ": no nodes (one \"name [weight]\" a line)");
  return out;
}

}  // namespace dsim::cli
