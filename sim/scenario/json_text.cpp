#include "scenario/json_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <cmath>
#include <string_view>
#include <vector>

#include "scenario/scenario_error.h"

namespace dsim {
namespace {

// nlohmann's DOM builder with the error's position and message kept instead of thrown,
// which also notes the numbers whose text rounds onto a whole number (RoundedWholeNumbers).
// (sax_parse calls the handler's methods by name, so hiding them is enough.)
class CapturingDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;

 public:
  CapturingDomParser(Json& result, RoundedWholeNumbers* rounded, std::string root)
      : Base(result, /*allow_exceptions=*/false), rounded_(rounded), root_(std::move(root)) {}

  // The path of the value being read is kept only when rounded numbers are asked for.
  bool null() { return scalar(Base::null()); }
  bool boolean(bool v) { return scalar(Base::boolean(v)); }
  bool number_integer(Json::number_integer_t v) { return scalar(Base::number_integer(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return scalar(Base::number_unsigned(v)); }
  bool number_float(Json::number_float_t v, const std::string& text) {
    if (rounded_ != nullptr && rounds_onto_whole_number(v, text)) (*rounded_)[here()] = text;
    return scalar(Base::number_float(v, text));
  }
  bool string(std::string& v) { return scalar(Base::string(v)); }
  bool binary(Json::binary_t& v) { return scalar(Base::binary(v)); }
  bool start_object(std::size_t n) {
    frames_.push_back(Frame{false, 0, ""});
    return Base::start_object(n);
  }
  bool key(std::string& k) {
    frames_.back().key = k;
    // A key met again replaces its earlier value (the last one wins, as in nlohmann's
    // DOM): what was noted of the earlier value, or of what it held, goes with it.
    if (rounded_ != nullptr) forget_under(here());
    return Base::key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return scalar(Base::end_object());
  }
  bool start_array(std::size_t n) {
    frames_.push_back(Frame{true, 0, ""});
    return Base::start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return scalar(Base::end_array());
  }

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

 private:
  struct Frame {
    bool array;
    size_t index;     // of the next element, in an array
    std::string key;  // the last key read, in an object
  };
  // A value ended: the next one in an array has the next index.
  bool scalar(bool ok) {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return ok;
  }
  // "$.faults.schedule[0].at", as ConfigReader names paths.
  std::string here() const {
    std::string path = root_;
    for (const Frame& f : frames_) path += f.array ? "[" + std::to_string(f.index) + "]" : "." + f.key;
    return path;
  }

  void forget_under(const std::string& path) {
    auto it = rounded_->lower_bound(path);
    while (it != rounded_->end() && it->first.compare(0, path.size(), path) == 0) {
      const std::string& p = it->first;
      const bool under = p.size() == path.size() || p[path.size()] == '.' || p[path.size()] == '[';
      it = under ? rounded_->erase(it) : std::next(it);
    }
  }

  RoundedWholeNumbers* rounded_;
  std::string root_;
  std::vector<Frame> frames_;
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

bool rounds_onto_whole_number(double value, const std::string& text) {
  if (!(std::floor(value) == value) || std::fabs(value) >= 9.2e18) return false;
  // text = [-] digits [. digits] [e [+-] digits]: its value is mantissa × 10^exponent.
  std::string mantissa;
  long exponent = 0;
  size_t i = text[0] == '-' ? 1 : 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) mantissa += text[i];
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      mantissa += text[i];
      --exponent;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    long written = 0;
    const char* first = text.data() + i + 1 + (text[i + 1] == '+');
    auto [end, ec] = std::from_chars(first, text.data() + text.size(), written);
    if (ec == std::errc::result_out_of_range) {
      // An exponent beyond long: a mantissa that is not zero times 10^-huge is a fraction
      // (its double is 0), times 10^+huge beyond every whole number we read (its double
      // is infinite, refused above). Either way far outside what the loop below can count.
      written = *first == '-' ? -(1L << 40) : (1L << 40);
    } else if (ec != std::errc() || end != text.data() + text.size()) {
      return false;  // not a JSON number's exponent (the parser would not have read it)
    }
    exponent += written;
  }
  mantissa.erase(0, std::min(mantissa.find_first_not_of('0'), mantissa.size()));
  if (mantissa.empty()) return false;  // zero, exactly
  while (mantissa.back() == '0') {
    mantissa.pop_back();
    ++exponent;
  }
  if (exponent < 0) return true;  // a fraction the double lost
  if (exponent > 19) return true;
  mantissa.append(static_cast<size_t>(exponent), '0');
  return mantissa != std::to_string(static_cast<uint64_t>(std::fabs(value)));
}

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

Json parse_json_value(const std::string& text, RoundedWholeNumbers* rounded, const std::string& path) {
  Json result;
  RoundedWholeNumbers found;
  CapturingDomParser handler(result, &found, path);
  bool ok = Json::sax_parse(text, &handler, nlohmann::detail::input_format_t::json, /*strict=*/true);
  if (!ok || handler.failed) return Json(Json::value_t::discarded);
  if (rounded != nullptr) rounded->insert(found.begin(), found.end());
  return result;
}

Json parse_json_text(const std::string& text, const std::string& file, RoundedWholeNumbers* rounded) {
  size_t deep = find_too_deep(text, kMaxJsonDepth);
  if (deep != std::string::npos) {
    throw ScenarioError(file, line_and_column(text, deep),
                        "invalid scenario: arrays and objects nested deeper than " +
                            std::to_string(kMaxJsonDepth) + " levels");
  }
  Json result;
  CapturingDomParser handler(result, rounded, "$");
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
