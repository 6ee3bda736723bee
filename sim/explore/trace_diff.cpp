#include "explore/trace_diff.h"

#include <fstream>

namespace dsim::explore {

bool diff_trace_files(const std::string& a, const std::string& b, TraceDiff& out,
                      std::string& error) {
  out = TraceDiff{};
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) {
    error = "cannot read " + (fa ? b : a);
    return false;
  }
  std::string la, lb;
  for (uint64_t line = 1;; ++line) {
    bool has_a = static_cast<bool>(std::getline(fa, la));
    bool has_b = static_cast<bool>(std::getline(fb, lb));
    if (!has_a && !has_b) return true;
    if (!has_a) la.clear();
    if (!has_b) lb.clear();
    if (has_a != has_b || la != lb) {
      out.identical = false;
      out.line = line;
      out.first = la;
      out.second = lb;
      return true;
    }
    out.lines_compared = line;
  }
}

}  // namespace dsim::explore
