// The disk records of the locks family, as the family's own types (DurableStore::put of a
// struct; read back with get_record and as<R>()): no JSON is built to write or read them.
// kName is the record's name; write_fields gives its fields, for tools that dump a disk.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::rec {

// The resource's highest accepted fencing token (key "highest_token"), synced before the
// write it came with is accepted, so a restart never accepts an older token again.
struct HighestToken {
  static constexpr std::string_view kName = "highest_token";
  int64_t token = 0;
  void write_fields(Json& out) const { out["token"] = token; }
};

}  // namespace dsim::locks::rec
