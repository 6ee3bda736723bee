// Builds one JSON object on one line, appending into a text buffer (core/text_buffer.h).
// Faster than building a Json tree for the simulator's own high-volume events (send,
// deliver). The text is what
// Json::dump() writes for the same object (core/json_write.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/field_writer.h"
#include "core/json.h"
#include "core/payload.h"
#include "core/text_buffer.h"

namespace dsim {

class JsonLine {
 public:
  // Empties `buffer` and starts the line in it.
  explicit JsonLine(TextBuffer& buffer) : buf_(buffer), start_(0) {
    buf_.clear();
    buf_.push_back('{');
  }
  // Starts the line at the end of `buffer`, keeping what is there.
  struct Append {};
  JsonLine(TextBuffer& buffer, Append) : buf_(buffer), start_(buffer.size()) {
    buf_.push_back('{');
  }
  // Adds `key: value`. Values: integers, bool, strings (string_view, std::string, const
  // char*), a Json.
  template <typename V>
  JsonLine& add(std::string_view key, const V& value) {
    this->key(key);
    return put(value);
  }
  // The same for a key written as a string literal, the usual case: its text is known where
  // the line is built, so nothing scans it at run time (see append_json_key).
  template <size_t N, typename V>
  [[gnu::always_inline]] JsonLine& add(const char (&key)[N], const V& value) {
    literal_key(key);
    return put(value);
  }
  // Adds a value given as its JSON text, written as it is (e.g. a string quoted once
  // and reused for many lines). REQUIRES: `json_text` is one valid JSON value.
  JsonLine& add_text(std::string_view key, std::string_view json_text);
  template <size_t N>
  [[gnu::always_inline]] JsonLine& add_text(const char (&key)[N], std::string_view json_text) {
    literal_key(key);
    buf_.append(json_text);
    return *this;
  }
  // Adds the payload's fields as an object, written straight into the line (for a payload
  // whose writes_text()); with skip_empty, adds nothing when it writes no field.
  JsonLine& add_fields(std::string_view key, PayloadRef payload, bool skip_empty);
  // Closes the object and appends the newline; returns the line (valid until the buffer
  // changes).
  std::string_view finish();

 private:
  void key(std::string_view k);
  template <size_t N>
  [[gnu::always_inline]] void literal_key(const char (&k)[N]) {
    append_json_key(buf_, k, !first_);
    first_ = false;
  }
  JsonLine& put(int64_t value);
  JsonLine& put(uint64_t value);
  JsonLine& put(int value) { return put(static_cast<int64_t>(value)); }
  JsonLine& put(uint32_t value) { return put(static_cast<uint64_t>(value)); }
  JsonLine& put(bool value);
  JsonLine& put(std::string_view value);
  JsonLine& put(const char* value) { return put(std::string_view(value)); }
  JsonLine& put(const std::string& value) { return put(std::string_view(value)); }
  JsonLine& put(const Json& value);
  TextBuffer& buf_;
  size_t start_;
  bool first_ = true;
};

}  // namespace dsim
