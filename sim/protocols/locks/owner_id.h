// Who asked for the lock: one acquisition by one incarnation of one client, written
// "c1/0/3" (client c1, incarnation 0, its 3rd acquisition) and, for a Redlock attempt,
// "c1/0/3.2". The string is what servers store as the lock's value (Redis's random
// value) and what every trace event names, so checkers can tell a crashed
// incarnation's leftovers from its successor's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dsim::locks {

struct OwnerId {
  std::string client;
  uint32_t incarnation = 0;
  int64_t acquisition = 0;
  int64_t attempt = 0;  // 0: no attempt suffix

  std::string str() const;
  static std::optional<OwnerId> parse(std::string_view text);
};

}  // namespace dsim::locks
