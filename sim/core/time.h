// Virtual time. Both types are 64-bit integer nanoseconds; there is no floating-point
// time anywhere in the engine. `Instant` is a point on a clock (the simulator's global
// clock, or a node's local clock — the API that returns one says which); `Duration` is
// a signed span between two instants.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace dsim {

struct Duration {
  int64_t ns = 0;

  static constexpr Duration nanos(int64_t v) { return {v}; }
  static constexpr Duration micros(int64_t v) { return {v * 1000}; }
  static constexpr Duration millis(int64_t v) { return {v * 1000 * 1000}; }
  static constexpr Duration seconds(int64_t v) { return {v * 1000 * 1000 * 1000}; }
  static constexpr Duration zero() { return {0}; }
  static constexpr Duration max() { return {std::numeric_limits<int64_t>::max()}; }

  constexpr Duration operator+(Duration o) const { return {ns + o.ns}; }
  constexpr Duration operator-(Duration o) const { return {ns - o.ns}; }
  constexpr Duration operator-() const { return {-ns}; }
  constexpr Duration operator*(int64_t k) const { return {ns * k}; }
  constexpr Duration operator/(int64_t k) const { return {ns / k}; }
  constexpr Duration& operator+=(Duration o) { ns += o.ns; return *this; }
  constexpr Duration& operator-=(Duration o) { ns -= o.ns; return *this; }
  constexpr auto operator<=>(const Duration&) const = default;
};

struct Instant {
  int64_t ns = 0;  // since the start of the run (global clock) or the node's epoch (local)

  static constexpr Instant zero() { return {0}; }
  static constexpr Instant max() { return {std::numeric_limits<int64_t>::max()}; }

  constexpr Instant operator+(Duration d) const { return {ns + d.ns}; }
  constexpr Instant operator-(Duration d) const { return {ns - d.ns}; }
  constexpr Duration operator-(Instant o) const { return {ns - o.ns}; }
  constexpr Instant& operator+=(Duration d) { ns += d.ns; return *this; }
  constexpr auto operator<=>(const Instant&) const = default;
};

// Parses "150ms", "2s", "1.5s", "250us", "10ns", "3m", "1h", an optional leading '-',
// or a bare integer meaning nanoseconds. Returns nullopt when the text is not a duration.
std::optional<Duration> parse_duration(std::string_view text);

// Shortest exact human form: "1500ms" -> "1.5s", "0" -> "0s".
std::string format_duration(Duration d);

}  // namespace dsim
