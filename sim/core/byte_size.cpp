#include "core/byte_size.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace dsim {

std::optional<uint64_t> parse_byte_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  std::string_view number = text.substr(0, i);
  std::string_view unit = text.substr(i);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (number.empty() || number.find('.') != number.rfind('.') || number == ".") return std::nullopt;
  struct Unit {
    std::string_view name;
    double factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},           {"B", 1},
      {"KiB", 0x1p10},   {"MiB", 0x1p20},   {"GiB", 0x1p30},   {"TiB", 0x1p40},
      {"kB", 1e3},       {"KB", 1e3},       {"MB", 1e6},       {"GB", 1e9},     {"TB", 1e12},
  };
  double factor = 0;
  for (const Unit& u : kUnits) {
    if (u.name == unit) factor = u.factor;
  }
  if (factor == 0) return std::nullopt;
  double value = std::strtod(std::string(number).c_str(), nullptr) * factor;
  // 2^63 is exactly representable; anything at or above it does not fit an int64.
  if (!std::isfinite(value) || value >= 0x1p63) return std::nullopt;
  return static_cast<uint64_t>(value);
}

std::string format_byte_size(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  size_t u = 0;
  while (bytes >= 1024 && u + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  } else {
    std::snprintf(buf, sizeof buf, bytes < 100 ? "%.1f %s" : "%.0f %s", bytes, kUnits[u]);
  }
  return buf;
}

}  // namespace dsim
