// Scenario text to JSON, for files and --set values alike. Bad text is bad input, never a
// crash: a syntax error names the line and column once, in plain words (with a hint about
// comments and trailing commas, the usual slips in hand-written JSON); a number beyond
// double's range is refused where it stands; nesting deeper than kMaxJsonDepth is refused
// by a linear pre-scan before the parser (or anything recursive) sees it.
#pragma once

#include <cstddef>
#include <string>

#include "core/json.h"

namespace dsim {

// Deepest nesting of arrays and objects a scenario may have. Shipped scenarios use 5.
inline constexpr size_t kMaxJsonDepth = 64;

// Parses JSON text; throws ScenarioError (file, "line L, column C", the problem).
Json parse_json_text(const std::string& text, const std::string& file);

// 1-based line and column of byte `offset` in `text` (columns count bytes).
std::string line_and_column(const std::string& text, size_t offset);

// The byte offset of the first bracket nested deeper than `max_depth` (strings skipped),
// or std::string::npos when there is none.
size_t find_too_deep(const std::string& text, size_t max_depth);

}  // namespace dsim
