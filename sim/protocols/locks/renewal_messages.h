// The lease-renewal messages of the Redis-style services (watchdog.h): extend the key's
// expiry (Redisson's watchdog, redlock clients' `extend`). Kept apart from messages.h so
// the renewal can be added to further services without touching the base messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim::locks {

// Extend the key to `ttl_ns` from now, if it still holds `owner` (the hold's unique
// value: it names the hold, so a renewal delivered after that hold ended refuses). The
// watchdog numbers its rounds (`req`), which the answer echoes.
struct Extend {
  static constexpr std::string_view kName = "extend";
  std::string owner{};
  int64_t ttl_ns = 0;
  int64_t req = 0;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["ttl_ns"] = ttl_ns;
    out["req"] = req;
  }
};

// The verdict: extended, or refused (the key is gone or holds another value).
struct ExtendResult {
  static constexpr std::string_view kName = "extend_result";
  std::string owner{};
  int64_t req = 0;
  bool ok = false;
  void write_fields(Json& out) const {
    out["owner"] = owner;
    out["req"] = req;
    out["ok"] = ok;
  }
};

}  // namespace dsim::locks
