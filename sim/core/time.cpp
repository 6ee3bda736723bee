#include "core/time.h"

#include <cctype>
#include <cstdlib>

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

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  size_t i = 0;
  int64_t whole = 0;
  int digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (whole > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
    ++i;
    ++digits;
  }
  // Fraction kept as an exact decimal: numerator / 10^frac_digits.
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (frac_digits < 9) {
        frac = frac * 10 + (text[i] - '0');
        ++frac_digits;
      }
      ++i;
      ++digits;
    }
  }
  if (digits == 0) return std::nullopt;
  std::string_view suffix = text.substr(i);
  int64_t unit_ns = 0;
  if (suffix.empty()) {
    if (frac_digits > 0) return std::nullopt;  // bare integers are nanoseconds: no fractions
    unit_ns = 1;
  } else {
    for (const Unit& u : kUnits) {
      if (suffix == u.suffix) unit_ns = u.ns;
    }
    if (unit_ns == 0) return std::nullopt;
  }
  if (whole > std::numeric_limits<int64_t>::max() / unit_ns) return std::nullopt;
  int64_t total = whole * unit_ns;
  int64_t scale = 1;
  for (int k = 0; k < frac_digits; ++k) scale *= 10;
  total += static_cast<int64_t>((static_cast<__int128>(frac) * unit_ns) / scale);
  return Duration{negative ? -total : total};
}

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
