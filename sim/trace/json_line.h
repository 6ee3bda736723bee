// Builds one JSON object on one line, appending into a reused buffer. Faster than
// building a Json tree for the simulator's own high-volume events (send, deliver).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/field_writer.h"
#include "core/json.h"
#include "core/payload.h"

namespace dsim {

class JsonLine {
 public:
  explicit JsonLine(std::string& buffer) : buf_(buffer) {
    buf_.clear();
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
  // Adds the payload's fields as an object, written straight into the line (for a payload
  // whose writes_text()); with skip_empty, adds nothing when it writes no field.
  JsonLine& add_fields(std::string_view key, PayloadRef payload, bool skip_empty);
  // Closes the object and appends the newline; returns the whole line.
  const std::string& finish();

 private:
  void key(std::string_view k);
  std::string& buf_;
  bool first_ = true;
};

// Appends `s` as a JSON string literal (quoted, escaped) to `out`.
void append_json_string(std::string& out, std::string_view s);

}  // namespace dsim
