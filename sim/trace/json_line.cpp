#include "trace/json_line.h"

#include "core/json_write.h"

namespace dsim {

void JsonLine::key(std::string_view k) {
  append_json_key(buf_, k, !first_);
  first_ = false;
}

JsonLine& JsonLine::put(int64_t value) {
  append_json_int(buf_, value);
  return *this;
}

JsonLine& JsonLine::put(uint64_t value) {
  append_json_uint(buf_, value);
  return *this;
}

JsonLine& JsonLine::put(bool value) {
  buf_ += value ? std::string_view("true") : std::string_view("false");
  return *this;
}

JsonLine& JsonLine::put(std::string_view value) {
  append_json_string(buf_, value);
  return *this;
}

JsonLine& JsonLine::put(const Json& value) {
  append_json(buf_, value);
  return *this;
}

JsonLine& JsonLine::add_text(std::string_view k, std::string_view json_text) {
  key(k);
  buf_.append(json_text);
  return *this;
}

JsonLine& JsonLine::add_fields(std::string_view k, PayloadRef payload, bool skip_empty) {
  const size_t mark = buf_.size();
  const bool first = first_;
  key(k);
  buf_.push_back('{');
  FieldWriter fields(buf_);
  payload.write_text(fields);
  if (skip_empty && !fields.written()) {
    buf_.truncate(mark);  // as if the key had not been added
    first_ = first;
    return *this;
  }
  buf_.push_back('}');
  return *this;
}

std::string_view JsonLine::finish() {
  buf_ += std::string_view("}\n");
  return buf_.view(start_);
}

}  // namespace dsim
