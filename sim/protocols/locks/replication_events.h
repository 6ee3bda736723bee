// The trace events of replicated Redis with Sentinel (redis_replica.h, sentinel.h), as
// events.h's: kName is the event's name, write_fields its "data" keys in order. The
// failover is exposed here: a sentinel's switch_master names the new primary and epoch
// (what a renewing client layered on this service would learn), and the instances say
// when they are promoted or made to follow another primary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::events {

// A sentinel's own view: no reply from the primary for down_after (SDOWN).
struct Sdown {
  static constexpr std::string_view kName = "sdown";
  std::string_view primary{};
  void write_fields(Json& out) const { out["primary"] = std::string(primary); }
};

// Enough sentinels (sentinel_quorum, this one included) agree the primary is down (ODOWN).
struct Odown {
  static constexpr std::string_view kName = "odown";
  std::string_view primary{};
  int64_t agreeing = 0;
  void write_fields(Json& out) const {
    out["primary"] = std::string(primary);
    out["agreeing"] = agreeing;
  }
};

// This sentinel asks for votes to lead the failover of `epoch`.
struct FailoverStart {
  static constexpr std::string_view kName = "failover_start";
  std::string_view primary{};
  int64_t epoch = 0;
  void write_fields(Json& out) const {
    out["primary"] = std::string(primary);
    out["epoch"] = epoch;
  }
};

// The sentinel's configuration changed: `primary` is the primary from `epoch` on (it
// promoted it, or learned it from another sentinel or an instance). `from` is the old one.
struct SwitchPrimary {
  static constexpr std::string_view kName = "switch_master";
  std::string_view from{};
  std::string_view primary{};
  int64_t epoch = 0;
  void write_fields(Json& out) const {
    out["from"] = std::string(from);
    out["primary"] = std::string(primary);
    out["epoch"] = epoch;
  }
};

// An instance became primary in `epoch`, with the dataset up to `offset`.
struct Promoted {
  static constexpr std::string_view kName = "promoted";
  int64_t epoch = 0;
  int64_t offset = 0;
  void write_fields(Json& out) const {
    out["epoch"] = epoch;
    out["offset"] = offset;
  }
};

// An instance now follows `primary` (`was_primary`: a demotion).
struct FollowPrimary {
  static constexpr std::string_view kName = "replica_of";
  std::string_view primary{};
  int64_t epoch = 0;
  bool was_primary = false;
  void write_fields(Json& out) const {
    out["primary"] = std::string(primary);
    out["epoch"] = epoch;
    if (was_primary) out["was_primary"] = true;
  }
};

}  // namespace dsim::locks::events
