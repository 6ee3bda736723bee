// Scenario text to JSON, for files and --set values alike. Bad text is bad input, never a
// crash: a syntax error names the line and column once, in plain words (with a hint about
// comments and trailing commas, the usual slips in hand-written JSON); a number beyond
// double's range is refused where it stands; nesting deeper than kMaxJsonDepth is refused
// by a linear pre-scan before the parser (or anything recursive) sees it.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "core/json.h"

namespace dsim {

// Deepest nesting of arrays and objects a scenario may have. Shipped scenarios use 5.
inline constexpr size_t kMaxJsonDepth = 64;

// The numbers of a JSON text whose text is not a whole number but whose nearest double is
// one ("4.9999999999999999" reads as 5, "9007199254740993.0" as 9007199254740992), by JSON
// path ("$.seed", "$.faults.schedule[0].at") -> their text. Where an integer is expected,
// ConfigReader refuses them: an integer is read exactly or not at all.
using RoundedWholeNumbers = std::map<std::string, std::string>;

// Whether `text`, a JSON number whose nearest double is `value`, is a text that rounds onto
// a whole number (`value` whole, of magnitude below 9.2e18, `text` not exactly it).
bool rounds_onto_whole_number(double value, const std::string& text);

// Parses JSON text; throws ScenarioError (file, "line L, column C", the problem). With
// `rounded`, notes the numbers that round onto a whole number there.
Json parse_json_text(const std::string& text, const std::string& file, RoundedWholeNumbers* rounded = nullptr);

// Parses a --set value: a discarded Json when `text` is not JSON (the caller reads it as a
// string). With `rounded`, notes the numbers that round onto a whole number, their paths
// under `path` (where the value goes).
Json parse_json_value(const std::string& text, RoundedWholeNumbers* rounded, const std::string& path);

// 1-based line and column of byte `offset` in `text` (columns count bytes).
std::string line_and_column(const std::string& text, size_t offset);

// The byte offset of the first bracket nested deeper than `max_depth` (strings skipped),
// or std::string::npos when there is none.
size_t find_too_deep(const std::string& text, size_t max_depth);

}  // namespace dsim
