// Virtual time. Both types are 64-bit integer nanoseconds; there is no floating-point
// time anywhere in the engine. `Instant` is a point on a clock (the simulator's global
// clock, or a node's local clock — the API that returns one says which); `Duration` is
// a signed span between two instants.
//
// Arithmetic saturates: every sum, difference and product clamps to the int64 range
// instead of wrapping, so a timer, latency or fault length near the largest value lands
// at Instant::max() (after the end of any run: it never fires) rather than in the past.
// Scenarios also keep every time and duration within kMaxScenarioDuration (checked at
// load), so saturation is a last line of defence, not a behaviour runs rely on.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace dsim {

namespace time_detail {
constexpr int64_t saturate(__int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}
constexpr int64_t add(int64_t a, int64_t b) { return saturate(__int128{a} + b); }
constexpr int64_t sub(int64_t a, int64_t b) { return saturate(__int128{a} - b); }
constexpr int64_t mul(int64_t a, int64_t b) { return saturate(__int128{a} * b); }
}  // namespace time_detail

struct Duration {
  int64_t ns = 0;

  static constexpr Duration nanos(int64_t v) { return {v}; }
  static constexpr Duration micros(int64_t v) { return {time_detail::mul(v, 1000)}; }
  static constexpr Duration millis(int64_t v) { return {time_detail::mul(v, 1000 * 1000)}; }
  static constexpr Duration seconds(int64_t v) {
    return {time_detail::mul(v, 1000 * 1000 * 1000)};
  }
  static constexpr Duration zero() { return {0}; }
  static constexpr Duration max() { return {std::numeric_limits<int64_t>::max()}; }

  constexpr Duration operator+(Duration o) const { return {time_detail::add(ns, o.ns)}; }
  constexpr Duration operator-(Duration o) const { return {time_detail::sub(ns, o.ns)}; }
  constexpr Duration operator-() const { return {time_detail::sub(0, ns)}; }
  constexpr Duration operator*(int64_t k) const { return {time_detail::mul(ns, k)}; }
  // REQUIRES: k != 0. INT64_MIN / -1 saturates.
  constexpr Duration operator/(int64_t k) const {
    return {time_detail::saturate(__int128{ns} / k)};
  }
  constexpr Duration& operator+=(Duration o) { return *this = *this + o; }
  constexpr Duration& operator-=(Duration o) { return *this = *this - o; }
  constexpr auto operator<=>(const Duration&) const = default;
};

struct Instant {
  int64_t ns = 0;  // since the start of the run (global clock) or the node's epoch (local)

  static constexpr Instant zero() { return {0}; }
  static constexpr Instant max() { return {std::numeric_limits<int64_t>::max()}; }

  constexpr Instant operator+(Duration d) const { return {time_detail::add(ns, d.ns)}; }
  constexpr Instant operator-(Duration d) const { return {time_detail::sub(ns, d.ns)}; }
  constexpr Duration operator-(Instant o) const { return {time_detail::sub(ns, o.ns)}; }
  constexpr Instant& operator+=(Duration d) { return *this = *this + d; }
  constexpr Instant& operator-=(Duration d) { return *this = *this - d; }
  constexpr auto operator<=>(const Instant&) const = default;
};

// The largest magnitude of any time or duration a scenario may give: 365 days. Far beyond
// any useful run, and small enough that hundreds of such values add up without reaching
// the int64 limit (about 292 years).
inline constexpr Duration kMaxScenarioDuration{int64_t{365} * 24 * 3600 * 1000 * 1000 * 1000};

// Parses "150ms", "2s", "1.5s", "250us", "10ns", "3m", "1h", an optional leading '-',
// or a bare integer meaning nanoseconds. Returns nullopt when the text is not a duration.
std::optional<Duration> parse_duration(std::string_view text);

// Shortest exact human form: "1500ms" -> "1.5s", "0" -> "0s".
std::string format_duration(Duration d);

}  // namespace dsim
