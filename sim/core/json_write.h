// JSON text written straight into a string, byte for byte as nlohmann::ordered_json's
// dump() (no indent, UTF-8 kept as is, strict) writes the same value: the trace writer
// and FieldWriter build lines with these instead of a Json tree, and the trace-hash test
// pins the bytes. Appending never allocates beyond the growth of `out`.
//
// Strings: '"' and '\\' escaped with a backslash, \b \f \n \r \t by their short escapes,
// the other control characters (0x00..0x1f) as \u00xx (lower-case hex); 0x7f and every
// valid UTF-8 sequence are copied as they are. Invalid UTF-8 throws what dump() throws
// (nlohmann::json::type_error 316), leaving `out` in an unspecified but valid state.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim {

// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

// Appends the decimal text of an integer (what dump() writes for a JSON integer).
inline void append_json_int(std::string& out, int64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, end);
}
inline void append_json_uint(std::string& out, uint64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, end);
}

// Appends `value` exactly as value.dump() writes it. Objects, arrays, strings, integers,
// booleans and null are written here; a floating-point number (rare in a trace) is
// written by nlohmann's own serializer, which owns its exact text.
void append_json(std::string& out, const Json& value);

}  // namespace dsim
