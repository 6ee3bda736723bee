// Trace events of lease renewal (watchdog.h) and of the server's side of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::events {

// A server moved the key's expiry: `owner` (at `client`) is the value it holds; `asked_by`
// the value the renewal named (differs only under `renew_unchecked`).
struct Extended {
  static constexpr std::string_view kName = "extended";
  std::string_view owner{};
  std::string_view client{};
  std::string_view asked_by{};
  int64_t expires_local_ns = 0;
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["client"] = std::string(client);
    out["asked_by"] = std::string(asked_by);
    out["expires_local_ns"] = expires_local_ns;
  }
};

// The client's watchdog stopped renewing: `reason` "released", "worker_gone",
// "renew_failed" (the first failed renewal, under `renew_stop_on_failure`),
// "renew_refused".
struct WatchdogStopped {
  static constexpr std::string_view kName = "watchdog_stopped";
  std::string_view owner{};
  std::string_view reason{};
  void write_fields(Json& out) const {
    out["owner"] = std::string(owner);
    out["reason"] = std::string(reason);
  }
};

}  // namespace dsim::locks::events
