#include "scenario/json_text.h"

#include <algorithm>
#include <string_view>

#include "scenario/scenario_error.h"

namespace dsim {
namespace {

// nlohmann's DOM builder with the error's position and message kept instead of thrown.
// (sax_parse calls the handler's methods by name, so hiding parse_error is enough.)
class CapturingDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit CapturingDomParser(Json& result)
      : nlohmann::detail::json_sax_dom_parser<Json>(result, /*allow_exceptions=*/false) {}

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& e) {
    failed = true;
    offset = position;
    token = last_token;
    id = e.id;
    message = e.what();
    return false;
  }

  bool failed = false;
  std::size_t offset = 0;
  std::string token;
  int id = 0;
  std::string message;
};

// "[json.exception.parse_error.101] parse error at line 3, column 12: syntax error while
// parsing object key - unexpected ','; expected string literal" -> the part after the
// position, reworded: "unexpected ','; expected string literal (while reading an object key)".
std::string plain_words(const std::string& what) {
  std::string text = what;
  size_t colon = text.find(": ");
  if (colon != std::string::npos) text = text.substr(colon + 2);
  const std::string_view prefix = "syntax error while parsing ";
  if (text.compare(0, prefix.size(), prefix) == 0) {
    std::string rest = text.substr(prefix.size());
    size_t dash = rest.find(" - ");
    if (dash != std::string::npos) {
      return rest.substr(dash + 3) + " (while reading " +
             (rest.compare(0, 5, "value") == 0 ? "a " : "an ") + rest.substr(0, dash) + ")";
    }
  }
  return text;
}

// Drops nlohmann's "; last read: '...'" (it repeats earlier text, with escapes) and names
// the offending character instead of an "invalid literal".
std::string without_last_read(std::string words, char offending) {
  size_t at = words.find("; last read: '");
  if (at != std::string::npos) {
    // Up to what follows it: "; expected ..." or " (while reading ...)".
    size_t stop = std::min(words.find("; ", at + 2), words.find(" (while", at));
    words.erase(at, stop == std::string::npos ? std::string::npos : stop - at);
  }
  const std::string invalid = "invalid literal";
  if (words.compare(0, invalid.size(), invalid) == 0 && offending > ' ' && offending < 127) {
    words.replace(0, invalid.size(), std::string("unexpected '") + offending + "'");
  }
  return words;
}

std::string hint_for(char offending, const std::string& words) {
  if (offending == '/' || offending == '#') {
    return "; JSON has no comments: remove the // or /* */ text";
  }
  if (words.find("unexpected '}'") != std::string::npos ||
      words.find("unexpected ']'") != std::string::npos) {
    return "; a comma before } or ] (a trailing comma) is not allowed in JSON";
  }
  return "; note that JSON allows no comments and no trailing commas";
}

}  // namespace

std::string line_and_column(const std::string& text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

size_t find_too_deep(const std::string& text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

Json parse_json_text(const std::string& text, const std::string& file) {
  size_t deep = find_too_deep(text, kMaxJsonDepth);
  if (deep != std::string::npos) {
    throw ScenarioError(file, line_and_column(text, deep),
                        "invalid scenario: arrays and objects nested deeper than " +
                            std::to_string(kMaxJsonDepth) + " levels");
  }
  Json result;
  CapturingDomParser handler(result);
  bool ok = Json::sax_parse(text, &handler, nlohmann::detail::input_format_t::json,
                            /*strict=*/true);
  if (ok && !handler.failed) return result;
  // The position counts the characters read: the last one read is where it went wrong. A
  // number out of range is pointed at from its first digit.
  size_t last = handler.offset > 0 ? handler.offset - 1 : 0;
  char offending = last < text.size() ? text[last] : '\0';
  if (handler.id == 406) {  // out_of_range: number overflow
    size_t start = handler.offset >= handler.token.size() ? handler.offset - handler.token.size() : last;
    throw ScenarioError(file, line_and_column(text, start),
                        "the number " + handler.token +
                            " is out of range (expected a number within about ±1.8e308; every "
                            "setting has a much smaller range of its own)");
  }
  std::string words = without_last_read(plain_words(handler.message), offending);
  throw ScenarioError(file, line_and_column(text, last),
                      "invalid JSON: " + words + hint_for(offending, words));
}

}  // namespace dsim
