#include "protocols/ring/placement/nodes_list.h"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

namespace dsim::ring {

std::vector<Member> parse_nodes_list(std::string_view text, const std::string& source) {
  std::vector<Member> out;
  std::set<std::string, std::less<>> seen;
  std::istringstream in{std::string(text)};
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string where = source + ":" + std::to_string(number);
    std::istringstream fields(line);
    std::string name, weight_text, extra;
    fields >> name >> weight_text >> extra;
    if (!extra.empty()) throw std::invalid_argument(where + ": expected \"name [weight]\", found \"" + line + "\"");
    double weight = 1.0;
    if (!weight_text.empty()) {
      const char* end = weight_text.data() + weight_text.size();
      auto [ptr, ec] = std::from_chars(weight_text.data(), end, weight);
      if (ptr != end || ec != std::errc() || !std::isfinite(weight) || !(weight > 0) || weight > 1e12) {
        throw std::invalid_argument(where + ": weight: expected a positive number (at most 1e12), got \"" +
                                    weight_text + "\"");
      }
    }
    if (!seen.insert(name).second) throw std::invalid_argument(where + ": node \"" + name + "\" is listed twice");
    out.push_back(Member{static_cast<NodeTag>(out.size()), name, weight});
  }
  return out;
}

}  // namespace dsim::ring
