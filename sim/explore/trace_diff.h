// Compares two traces line by line and names the first line where they part ways.
#pragma once

#include <cstdint>
#include <string>

namespace dsim::explore {

struct TraceDiff {
  bool identical = true;
  uint64_t line = 0;          // 1-based line of the first difference
  std::string first, second;  // that line in each trace ("" when that trace had ended)
  uint64_t lines_compared = 0;
};

// Streams both files (traces can be large). Sets `error` and returns false when one
// cannot be read.
bool diff_trace_files(const std::string& a, const std::string& b, TraceDiff& out,
                      std::string& error);

}  // namespace dsim::explore
