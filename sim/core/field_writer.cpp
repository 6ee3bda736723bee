#include "core/field_writer.h"

#include <charconv>
#include <cstdio>

namespace dsim {

void append_json(std::string& out, const Json& value) {
  // nlohmann's own serializer, as Json::dump() uses it (no indent, UTF-8 as is, strict),
  // writing into `out` itself: dump() would build a string of its own to be copied here.
  using Serializer = nlohmann::detail::serializer<Json>;
  Serializer s(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
               nlohmann::detail::error_handler_t::strict);
  s.dump(value, false, false, 0);
}

void FieldWriter::append_int(long long v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out_.append(tmp, end);
}

void FieldWriter::append_uint(unsigned long long v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out_.append(tmp, end);
}

void FieldWriter::append_string(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Non-ASCII: nlohmann checks the UTF-8 (and throws on a bad byte); let it.
      append_json(out_, Json(std::string(s)));
      return;
    }
  }
  out_.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
          out_ += esc;
        } else {
          out_.push_back(c);
        }
    }
  }
  out_.push_back('"');
}

}  // namespace dsim
