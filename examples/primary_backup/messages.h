// The register's messages, as typed structs (dsim's core/payload.h): kName is the
// message's name in the trace, write_fields() its body there. Each fits inline (at most
// 56 bytes), so sending one allocates nothing.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace primary_backup {

// Client -> primary: set the register to `value`. `op` numbers the client's operations.
struct Write {
  static constexpr std::string_view kName = "write";
  int64_t op;
  int64_t value;
  void write_fields(dsim::Json& out) const {
    out["op"] = op;
    out["value"] = value;
  }
};

// Primary -> client: the write is done, as `version` (1, 2, ... in the primary's order).
struct WriteOk {
  static constexpr std::string_view kName = "write_ok";
  int64_t op;
  int64_t version;
  void write_fields(dsim::Json& out) const {
    out["op"] = op;
    out["version"] = version;
  }
};

// Primary -> backup: apply `value` as `version`.
struct Replicate {
  static constexpr std::string_view kName = "replicate";
  int64_t version;
  int64_t value;
  void write_fields(dsim::Json& out) const {
    out["version"] = version;
    out["value"] = value;
  }
};

// Backup -> primary: my register is at `version` or later.
struct ReplicateAck {
  static constexpr std::string_view kName = "replicate_ack";
  int64_t version;
  void write_fields(dsim::Json& out) const { out["version"] = version; }
};

// Client -> backup: what is the register's value? (Reads go to the backup: that is what
// a backup is often kept for, and what makes acknowledging early a mistake.)
struct Read {
  static constexpr std::string_view kName = "read";
  int64_t op;
  void write_fields(dsim::Json& out) const { out["op"] = op; }
};

// Backup -> client: the register holds `value`, written as `version` (0: never written).
struct ReadOk {
  static constexpr std::string_view kName = "read_ok";
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
