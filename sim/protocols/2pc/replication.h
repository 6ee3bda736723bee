// The typed messages, events, disk records and timers of replicated participants
// (replicated_primary.h, participant_replica.h, group_router.h).
//
// A participant group is a primary and one replica. The primary ships its write-ahead
// log ("wal", records.h) to the replica as typed records, the way a MySQL source ships
// its binlog: every record keeps its index, and the replica's log is always a prefix of
// the primary's. Failover is lease-based: each acknowledged heartbeat grants the
// primary a lease; the replica promotes itself when it has heard nothing for
// `failover_after` (> lease), so the old primary has stopped serving by then. Both are
// measured with timers (elapsed time, which a clock jump does not move), never by
// reading the wall clock.
//
// Messages (the trace's name, then its body in order):
//   primary -> replica   repl_append {from, records: [{rec, ...fields}], epoch, beat}
//   replica -> primary   repl_ack {upto, epoch, beat}       fenced {}
//   new primary -> coordinators, and a demoted primary -> whoever asks
//                        new_primary {group, primary}
// Events:   failover {group, records, in_doubt...}: see ev::Failover; demoted {group, primary}
// Records:  the replica's key "promoted" (PromotedMark): it is the group's primary now.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "core/durable_store.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/payload.h"
#include "core/time.h"

namespace dsim::twopc {

namespace msg {

// Log records [from, from + records.size()) of the primary's "wal". Empty: a heartbeat
// (and, after a restart, a probe: from is the primary's log length). (epoch, beat): the
// primary's incarnation and the heartbeat's number in it; echoed in the ack, they say
// which lease the ack renews.
struct ReplAppend {
  static constexpr std::string_view kName = "repl_append";
  int64_t from = 0;
  std::vector<Payload> records;
  int64_t epoch = 0;
  int64_t beat = 0;
  void write_fields(Json& out) const {
    out["from"] = from;
    Json list = Json::array();
    for (const Payload& r : records) {
      Json one = Json::object();
      one["rec"] = std::string(r.name());
      r.ref().write_fields(one);
      list.push_back(std::move(one));
    }
    out["records"] = std::move(list);
    out["epoch"] = epoch;
    out["beat"] = beat;
  }
};

// The replica holds (durably) the primary's records [0, upto).
struct ReplAck {
  static constexpr std::string_view kName = "repl_ack";
  int64_t upto = 0;
  int64_t epoch = 0;
  int64_t beat = 0;
  void write_fields(Json& out) const {
    out["upto"] = upto;
    out["epoch"] = epoch;
    out["beat"] = beat;
  }
};

// The replica was promoted: the sender is no longer the group's primary.
struct Fenced {
  static constexpr std::string_view kName = "fenced";
  void write_fields(Json&) const {}
};

// `primary` now serves the group named `group` (its first primary's node).
struct NewPrimary {
  static constexpr std::string_view kName = "new_primary";
  NodeId group = kNoNode;
  NodeId primary = kNoNode;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["group"] = cluster->name(group);
    out["primary"] = cluster->name(primary);
  }
};

}  // namespace msg

namespace ev {

// A replica promoted itself: it held `records` of its primary's log records.
struct Failover {
  static constexpr std::string_view kName = "failover";
  NodeId group = kNoNode;
  int64_t records = 0;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["group"] = cluster->name(group);
    out["records"] = records;
  }
};

// A primary learned that its replica was promoted; it serves no more.
struct Demoted {
  static constexpr std::string_view kName = "demoted";
  NodeId group = kNoNode;
  NodeId primary = kNoNode;
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["group"] = cluster->name(group);
    out["primary"] = cluster->name(primary);
  }
};

// The primary's lease lapsed: it dropped its volatile state and serves nothing until
// its replica acknowledges a heartbeat again (then it recovers from its log).
struct LeaseLost {
  static constexpr std::string_view kName = "lease_lost";
  void write_fields(Json&) const {}
};

}  // namespace ev

namespace rec {

// Under the replica's key "promoted": it is its group's primary, across restarts.
struct PromotedMark {
  static constexpr std::string_view kName = "promoted";
  void write_fields(Json&) const {}
};

}  // namespace rec

// Timer kinds of the replication roles. Their codes start at 100, apart from TxTimer's,
// because a replicated role also carries its inner participant's TxTimer timers.
enum class ReplTimer : uint32_t {
  kHeartbeat = 100,  // primary: heartbeat (async: and ship)
  kLeaseExpiry,      // primary: the lease a heartbeat (arg: its beat) would grant ends
  kFailover,         // replica: the primary was silent for failover_after
  kAnnounce,         // promoted replica: tell the coordinators again
};
inline constexpr uint32_t kFirstReplTimer = 100;

inline std::string_view timer_name(ReplTimer k) {
  switch (k) {
    case ReplTimer::kHeartbeat:
      return "repl_heartbeat";
    case ReplTimer::kLeaseExpiry:
      return "lease_expiry";
    case ReplTimer::kFailover:
      return "failover";
    case ReplTimer::kAnnounce:
      return "announce";
  }
  return "?";
}

// Appends a copy of one participant log record (records.h) to `store`'s "wal".
DiskStatus append_wal_copy(DurableStore& store, const Payload& record);

}  // namespace dsim::twopc
