// What the clients record for the checker (ctx.trace): typed protocol events, read by
// the checker with Observation::as<E>() — no JSON unless a trace file is written.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace primary_backup {

// A client got WriteOk: from now on every read must see `version` or a later one.
struct WriteAcked {
  static constexpr std::string_view kName = "write_acked";
  int64_t op;
  int64_t version;
  int64_t value;
  void write_fields(dsim::Json& out) const {
    out["op"] = op;
    out["version"] = version;
    out["value"] = value;
  }
};

// A client sent a read.
struct ReadStarted {
  static constexpr std::string_view kName = "read_started";
  int64_t op;
  void write_fields(dsim::Json& out) const { out["op"] = op; }
};

// A client's read returned.
struct ReadReturned {
  static constexpr std::string_view kName = "read_returned";
  int64_t op;
  int64_t version;
  int64_t value;
  void write_fields(dsim::Json& out) const {
    out["op"] = op;
    out["version"] = version;
    out["value"] = value;
  }
};

}  // namespace primary_backup
