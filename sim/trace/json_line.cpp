#include "trace/json_line.h"

#include <charconv>

namespace dsim {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += esc;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void JsonLine::key(std::string_view k) {
  if (!first_) buf_.push_back(',');
  first_ = false;
  append_json_string(buf_, k);
  buf_.push_back(':');
}

JsonLine& JsonLine::add(std::string_view k, int64_t value) {
  key(k);
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
  buf_.append(tmp, end);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, uint64_t value) {
  key(k);
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
  buf_.append(tmp, end);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, bool value) {
  key(k);
  buf_ += value ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(buf_, value);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, const Json& value) {
  key(k);
  append_json(buf_, value);
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
    buf_.resize(mark);  // as if the key had not been added
    first_ = first;
    return *this;
  }
  buf_.push_back('}');
  return *this;
}

const std::string& JsonLine::finish() {
  buf_ += "}\n";
  return buf_;
}

}  // namespace dsim
