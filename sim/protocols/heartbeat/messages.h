// The heartbeat detector's messages. A pong echoes the round of the ping it answers.
// Trace bodies: {"round": N}.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace dsim::heartbeat {

struct Ping {
  static constexpr std::string_view kName = "ping";
  int64_t round = 0;  // the sender's tick count, from 1
  void write_fields(Json& out) const { out["round"] = round; }
};

struct Pong {
  static constexpr std::string_view kName = "pong";
  int64_t round = 0;  // the round of the ping answered
  void write_fields(Json& out) const { out["round"] = round; }
};

// The one timer: the next round of pings and of suspicion.
enum class HeartbeatTimer : uint32_t { kTick };
inline std::string_view timer_name(HeartbeatTimer) { return "tick"; }

}  // namespace dsim::heartbeat
