// The replicated store's messages and timer kinds. Each message writes the trace body the
// store's JSON messages had, key for key and in the same order (the pinned trace hashes
// check it). Keys travel as their index in the key space (the trace shows the index, not
// "key-N"); values are the clients' strings ("c1-17"). Every message but Transfer fits the
// core's inline payload (56 bytes): no allocation per message beyond a long value string.
//
// client -> any store (the coordinator):  Get, Put
// coordinator -> replicas:                Read, Write
// replica -> coordinator:                 ReadOk, WriteOk
// coordinator -> client:                  Reply
// store -> store:                         Heartbeat ("hb", every heartbeat_interval),
//                                         Transfer (keys moved to their new replicas)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/json.h"
#include "core/payload.h"

namespace dsim::ring {

// A client's operation: `op` counts the client's operations from 1, `attempt` its tries.
struct Get {
  static constexpr std::string_view kName = "get";
  int64_t op = 0;
  int64_t attempt = 0;
  uint64_t key = 0;
  void write_fields(Json& out) const {
    out["op"] = op;
    out["attempt"] = attempt;
    out["key"] = key;
  }
};

struct Put {
  static constexpr std::string_view kName = "put";
  int64_t op = 0;
  int64_t attempt = 0;
  uint64_t key = 0;
  std::string value;
  void write_fields(Json& out) const {
    out["op"] = op;
    out["attempt"] = attempt;
    out["key"] = key;
    out["value"] = value;
  }
};

// A coordinator asks a replica for its copy of `key`; `op` is the coordinator's own count.
struct Read {
  static constexpr std::string_view kName = "read";
  int64_t op = 0;
  uint64_t key = 0;
  void write_fields(Json& out) const {
    out["op"] = op;
    out["key"] = key;
  }
};

// A replica's copy: `found` false when it holds none (then no value or version).
struct ReadOk {
  static constexpr std::string_view kName = "read_ok";
  std::string value;
  int64_t op = 0;
  int64_t vc = 0;  // version counter
  NodeId vn = 0;   // version's coordinator
  bool found = false;
  void write_fields(Json& out) const {
    if (found) {
      out["value"] = value;
      out["vc"] = vc;
      out["vn"] = vn;
    }
    out["op"] = op;
    out["found"] = found;
  }
};

// The coordinator's write of version (vc, vn) of `key`.
struct Write {
  static constexpr std::string_view kName = "write";
  std::string value;
  int64_t vc = 0;
  int64_t op = 0;
  uint32_t key = 0;  // the key space holds at most 1,000,000 keys
  NodeId vn = 0;
  void write_fields(Json& out) const {
    out["value"] = value;
    out["vc"] = vc;
    out["vn"] = vn;
    out["op"] = op;
    out["key"] = key;
  }
};

struct WriteOk {
  static constexpr std::string_view kName = "write_ok";
  int64_t op = 0;
  void write_fields(Json& out) const { out["op"] = op; }
};

enum class ReplyOutcome : uint8_t { kOk, kUnavailable };
inline const char* reply_outcome_name(ReplyOutcome o) { return o == ReplyOutcome::kOk ? "ok" : "unavailable"; }

// The coordinator's answer to the client's (op, attempt). When ok: a put's written version
// (vc, vn); a get's `found` and, when found, the newest value and its version.
struct Reply {
  static constexpr std::string_view kName = "reply";
  int64_t op = 0;
  std::string value;
  int64_t vc = 0;
  NodeId vn = 0;
  uint16_t attempt = 0;  // at most `attempts` (100)
  ReplyOutcome outcome = ReplyOutcome::kUnavailable;
  bool is_put : 1 = false;
  bool found : 1 = false;

  bool ok() const { return outcome == ReplyOutcome::kOk; }
  // True when the reply carries a version (and, for a get, a value).
  bool has_version() const { return ok() && (is_put || found); }
  void write_fields(Json& out) const {
    out["op"] = op;
    out["attempt"] = attempt;
    out["outcome"] = reply_outcome_name(outcome);
    if (!ok()) return;
    if (!is_put) {
      out["found"] = found;
      if (!found) return;
      out["value"] = value;
    }
    out["vc"] = vc;
    out["vn"] = vn;
  }
};

// A store's heartbeat to every other store. No body.
struct Heartbeat {
  static constexpr std::string_view kName = "hb";
  void write_fields(Json&) const {}
};

// Copies of keys for a replica that gained them. Trace: {"items": [{"value", "vc", "vn",
// "key"}, ...]}. Held on the heap (a batch of up to transfer_batch keys).
struct TransferItem {
  std::string value;
  int64_t vc = 0;
  uint64_t key = 0;
  NodeId vn = 0;
};
struct Transfer {
  static constexpr std::string_view kName = "transfer";
  std::vector<TransferItem> items;
  void write_fields(Json& out) const {
    Json list = Json::array();
    for (const TransferItem& item : items) {
      Json j = Json::object();
      j["value"] = item.value;
      j["vc"] = item.vc;
      j["vn"] = item.vn;
      j["key"] = item.key;
      list.push_back(std::move(j));
    }
    out["items"] = std::move(list);
  }
};

static_assert(payload_detail::fits_inline<Put> && payload_detail::fits_inline<ReadOk> &&
              payload_detail::fits_inline<Write> && payload_detail::fits_inline<Reply>);

// A store node's timers: its next heartbeat round; a coordinated operation's quorum wait
// (arg: the coordinator's op).
enum class StoreTimer : uint32_t { kTick, kOpTimeout };
inline std::string_view timer_name(StoreTimer k) { return k == StoreTimer::kTick ? "tick" : "op_timeout"; }

// A client's timers: its next operation; an attempt's wait (arg: op * 128 + attempt).
enum class ClientTimer : uint32_t { kNextOp, kAttemptTimeout };
inline std::string_view timer_name(ClientTimer k) {
  return k == ClientTimer::kNextOp ? "next_op" : "attempt_timeout";
}

}  // namespace dsim::ring
