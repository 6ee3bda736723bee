#include "core/time.h"

#include <cctype>
#include <cstdlib>

#include "core/duration_text.h"

namespace dsim {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ns;
};
// Longest suffixes first so "ms" is not read as "m" + garbage.
constexpr Unit kUnits[] = {{"ns", 1},           {"us", 1000},        {"µs", 1000},
                           {"ms", 1000000},     {"s", 1000000000},   {"m", 60000000000},
                           {"h", 3600000000000}};

}  // namespace

DurationText read_duration_text(std::string_view text) {
  const DurationText malformed{std::nullopt, DurationTextError::kMalformed};
  if (text.empty()) return malformed;
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  size_t i = 0;
  __int128 whole = 0;
  int digits = 0;
  bool too_large = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > std::numeric_limits<int64_t>::max()) {
      too_large = true;
      whole = std::numeric_limits<int64_t>::max();
    }
    ++i;
    ++digits;
  }
  // The fraction as written, every digit of it: a value is read exactly or refused.
  std::string_view fraction;
  if (i < text.size() && text[i] == '.') {
    size_t from = ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    fraction = text.substr(from, i - from);
    digits += static_cast<int>(fraction.size());
  }
  if (digits == 0) return malformed;
  std::string_view suffix = text.substr(i);
  int64_t unit_ns = 0;
  if (suffix.empty()) {
    if (text.find('.') != std::string_view::npos) return malformed;  // bare integers are ns
    unit_ns = 1;
  } else {
    for (const Unit& u : kUnits) {
      if (suffix == u.suffix) unit_ns = u.ns;
    }
    if (unit_ns == 0) return malformed;
  }
  // Trailing zeros change nothing. What is left is whole in ns only if 10^digits divides
  // fraction * unit; the largest unit (h, 36 * 10^11 ns) allows 13 digits at most, so a
  // longer fraction is never whole and is refused before it could overflow.
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > 18) return {std::nullopt, DurationTextError::kNotWholeNanoseconds};
  __int128 numerator = 0, scale = 1;
  for (char c : fraction) {
    numerator = numerator * 10 + (c - '0');
    scale *= 10;
  }
  numerator *= unit_ns;
  if (numerator % scale != 0) return {std::nullopt, DurationTextError::kNotWholeNanoseconds};
  __int128 total = whole * unit_ns + numerator / scale;
  if (too_large || total > std::numeric_limits<int64_t>::max()) {
    return {std::nullopt, DurationTextError::kOutOfRange};
  }
  const int64_t ns = static_cast<int64_t>(total);
  return {Duration{negative ? -ns : ns}, DurationTextError::kNone};
}

std::optional<Duration> parse_duration(std::string_view text) { return read_duration_text(text).value; }

std::string format_duration(Duration d) {
  if (d.ns == 0) return "0s";
  std::string sign = d.ns < 0 ? "-" : "";
  int64_t v = d.ns < 0 ? -d.ns : d.ns;
  struct Step {
    int64_t ns;
    const char* suffix;
  };
  constexpr Step steps[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const Step& s : steps) {
    if (v >= s.ns || s.ns == 1) {
      int64_t whole = v / s.ns;
      int64_t rem = v % s.ns;
      std::string out = sign + std::to_string(whole);
      if (rem != 0) {
        std::string frac = std::to_string(rem);
        int width = 0;
        for (int64_t x = s.ns; x > 1; x /= 10) ++width;
        frac = std::string(width - frac.size(), '0') + frac;
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        out += "." + frac;
      }
      return out + s.suffix;
    }
  }
  return sign + std::to_string(v) + "ns";
}

}  // namespace dsim
