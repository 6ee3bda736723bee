// JSON text written straight into a TextBuffer (core/text_buffer.h), byte for byte as
// nlohmann::ordered_json's dump() (no indent, UTF-8 kept as is, strict) writes the same
// value: the trace writer and FieldWriter build lines with these instead of a Json tree,
// and the trace-hash test pins the bytes. Appending allocates nothing beyond the growth of
// `out`, except for a floating-point number or a string that is not UTF-8, which nlohmann's
// serializer writes through a temporary string.
//
// Strings: '"' and '\\' escaped with a backslash, \b \f \n \r \t by their short escapes,
// the other control characters (0x00..0x1f) as \u00xx (lower-case hex); 0x7f and every
// valid UTF-8 sequence are copied as they are. Invalid UTF-8 throws what dump() throws
// (nlohmann::json::type_error 316), leaving `out` in an unspecified but valid state.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/text_buffer.h"

namespace dsim {

// Appends `s` as a quoted JSON string.
void append_json_string(TextBuffer& out, std::string_view s);
// Appends an object member's key and its colon, `"key":`, after a comma when `comma` (every
// member but the first): the text of append_json_string(key) between them.
void append_json_key(TextBuffer& out, std::string_view key, bool comma);
// The same for a key written as a string literal (a char array: its text ends at its first
// NUL, or at the array's end if it holds none). Always inlined where the literal is, so
// that the test for bytes needing care and the length fold to constants and the key is
// stored as a few words: a trace line's keys are most of its strings, and scanning each at
// run time was a tenth of writing a trace.
template <size_t N>
[[gnu::always_inline]] inline void append_json_key(TextBuffer& out, const char (&key)[N],
                                                   bool comma) {
  size_t length = 0;  // measured within the array, never past it
  while (length < N && key[length] != '\0') ++length;
  const std::string_view k(key, length);
  for (const char c : k) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') {
      append_json_key(out, k, comma);
      return;
    }
  }
  char* p = out.room(length + 4);
  *p = ',';
  p += comma ? 1 : 0;
  *p = '"';
  std::memcpy(p + 1, key, length);
  p[length + 1] = '"';
  p[length + 2] = ':';
  out.end_at(p + length + 3);
}
// The length of the longest prefix of `s` that a JSON string holds as it is, with no
// escape and no UTF-8 to check: bytes 0x20 to 0x7f other than '"' and '\\'.
size_t plain_ascii_prefix(std::string_view s);

// Appends the decimal text of an integer (what dump() writes for a JSON integer).
inline void append_json_int(TextBuffer& out, int64_t v) {
  char* p = out.room(20);  // "-9223372036854775808"
  out.end_at(std::to_chars(p, p + 20, v).ptr);
}
inline void append_json_uint(TextBuffer& out, uint64_t v) {
  char* p = out.room(20);  // "18446744073709551615"
  out.end_at(std::to_chars(p, p + 20, v).ptr);
}

// Appends `value` exactly as value.dump() writes it. Objects, arrays, strings, integers,
// booleans and null are written here; a floating-point number (rare in a trace) is
// written by nlohmann's own serializer, which owns its exact text.
void append_json(TextBuffer& out, const Json& value);

}  // namespace dsim
