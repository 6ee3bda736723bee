// Builds one JSON object on one line, appending into a string. Faster than building a
// Json tree for the simulator's own high-volume events (send, deliver). The text is what
// Json::dump() writes for the same object (core/json_write.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/field_writer.h"
#include "core/json.h"
#include "core/payload.h"

namespace dsim {

class JsonLine {
 public:
  // Empties `buffer` and starts the line in it.
  explicit JsonLine(std::string& buffer) : buf_(buffer), start_(0) {
    buf_.clear();
    buf_.push_back('{');
  }
  // Starts the line at the end of `buffer`, keeping what is there.
  struct Append {};
  JsonLine(std::string& buffer, Append) : buf_(buffer), start_(buffer.size()) {
    buf_.push_back('{');
  }
  JsonLine& add(std::string_view key, int64_t value);
  JsonLine& add(std::string_view key, uint64_t value);
  JsonLine& add(std::string_view key, int value) { return add(key, static_cast<int64_t>(value)); }
  JsonLine& add(std::string_view key, uint32_t value) {
    return add(key, static_cast<uint64_t>(value));
  }
  JsonLine& add(std::string_view key, bool value);
  JsonLine& add(std::string_view key, std::string_view value);
  JsonLine& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonLine& add(std::string_view key, const std::string& value) {
    return add(key, std::string_view(value));
  }
  JsonLine& add(std::string_view key, const Json& value);
  // Adds a value given as its JSON text, written as it is (e.g. a string quoted once
  // and reused for many lines). REQUIRES: `json_text` is one valid JSON value.
  JsonLine& add_text(std::string_view key, std::string_view json_text);
  // Adds the payload's fields as an object, written straight into the line (for a payload
  // whose writes_text()); with skip_empty, adds nothing when it writes no field.
  JsonLine& add_fields(std::string_view key, PayloadRef payload, bool skip_empty);
  // Closes the object and appends the newline; returns the line (valid until the buffer
  // changes).
  std::string_view finish();

 private:
  void key(std::string_view k);
  std::string& buf_;
  size_t start_;
  bool first_ = true;
};

}  // namespace dsim
