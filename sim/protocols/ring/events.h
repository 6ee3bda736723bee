// The replicated store's protocol events, as the trace shows them and the ring checks read
// them (o.as<E>()). Nodes are ids; an event that names nodes in the trace carries the
// run's Cluster (it outlives every event) to write their names. Keys are indices in the
// key space; the trace writes them as "key-N" (key_name).
//
// Besides these, clients trace the common client operations ("op", core/client_op.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "core/json.h"
#include "protocols/ring/stats/movement.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

inline Json node_names(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  Json out = Json::array();
  for (NodeId n : nodes) out.push_back(cluster.name(n));
  return out;
}

enum class OpKind : uint8_t { kGet, kPut };
inline const char* op_kind_name(OpKind k) { return k == OpKind::kPut ? "put" : "get"; }

// A store node's view at boot (and after each restart). Trace: {"members", "peak_to_mean",
// "keys_held"}.
struct MembershipInit {
  static constexpr std::string_view kName = "membership_init";
  const Cluster* cluster = nullptr;
  std::vector<NodeId> members;  // in placement order
  double peak_to_mean = 0;      // primary keys per member, peak over mean
  uint64_t keys_held = 0;       // keys this node holds a copy of (recovered from disk)
  void write_fields(Json& out) const {
    out["members"] = node_names(*cluster, members);
    out["peak_to_mean"] = peak_to_mean;
    out["keys_held"] = keys_held;
  }
};

// One node joined (`added`) or left this store node's view, and what that moved.
// Trace: {"kind": "add"|"remove", "node", "members", "moved_keys", "moved_fraction",
// "ideal_fraction", "moved_from_survivors", "moved_to_others", "replica_copies_moved",
// "nodes_gaining", "nodes_losing", "peak_to_mean", "moved": [{"key", "from", "to"}]}.
struct MembershipChange {
  static constexpr std::string_view kName = "membership_change";
  const Cluster* cluster = nullptr;
  bool added = false;
  NodeId node = 0;
  std::vector<NodeId> members;  // the view after the change, in placement order
  uint64_t keys = 0;            // the key space's size
  double ideal_fraction = 0;    // 1 / members (after an add, before a remove)
  double peak_to_mean = 0;
  // From the change's Movement (stats/movement.h).
  uint64_t moved = 0, moved_from_survivors = 0, moved_to_others = 0, replica_copies_moved = 0;
  uint64_t nodes_gaining = 0, nodes_losing = 0;
  std::vector<KeyMove> sample;  // the first moved keys (at most moved_keys_traced)
  void write_fields(Json& out) const {
    out["kind"] = added ? "add" : "remove";
    out["node"] = cluster->name(node);
    out["members"] = node_names(*cluster, members);
    out["moved_keys"] = moved;
    out["moved_fraction"] = static_cast<double>(moved) / static_cast<double>(keys);
    out["ideal_fraction"] = ideal_fraction;
    out["moved_from_survivors"] = moved_from_survivors;
    out["moved_to_others"] = moved_to_others;
    out["replica_copies_moved"] = replica_copies_moved;
    out["nodes_gaining"] = nodes_gaining;
    out["nodes_losing"] = nodes_losing;
    out["peak_to_mean"] = peak_to_mean;
    Json moves = Json::array();
    for (const KeyMove& km : sample) {
      Json j = Json::object();
      j["key"] = key_name(km.key);
      j["from"] = cluster->name(km.from);
      j["to"] = cluster->name(km.to);
      moves.push_back(std::move(j));
    }
    out["moved"] = std::move(moves);
  }
};

// Keys this store sent to `to`, which gained them. Trace: {"to", "keys"}.
struct TransferSent {
  static constexpr std::string_view kName = "transfer_sent";
  std::string_view to;  // the cluster's name of the node
  uint64_t keys = 0;
  void write_fields(Json& out) const {
    out["to"] = to;
    out["keys"] = keys;
  }
};

// A transfer arrived from `from`: `keys` copies, `newer` of them kept. Trace: {"from",
// "keys", "newer"}.
struct TransferReceived {
  static constexpr std::string_view kName = "transfer_received";
  std::string_view from;
  uint64_t keys = 0;
  uint64_t newer = 0;
  void write_fields(Json& out) const {
    out["from"] = from;
    out["keys"] = keys;
    out["newer"] = newer;
  }
};

// A store coordinates a client's operation over `replicas` (its view's replica list for
// the key, primary first). Trace: {"op", "client", "client_op", "kind", "key", "replicas",
// "view_size"}.
struct Coordinate {
  static constexpr std::string_view kName = "coordinate";
  const Cluster* cluster = nullptr;
  int64_t op = 0;         // the coordinator's count
  NodeId client = 0;
  int64_t client_op = 0;  // the client's count
  OpKind kind = OpKind::kGet;
  uint64_t key = 0;
  std::vector<NodeId> replicas;
  uint64_t view_size = 0;
  void write_fields(Json& out) const {
    out["op"] = op;
    out["client"] = cluster->name(client);
    out["client_op"] = client_op;
    out["kind"] = op_kind_name(kind);
    out["key"] = key_name(key);
    out["replicas"] = node_names(*cluster, replicas);
    out["view_size"] = view_size;
  }
};

// A client starts operation `op` (a put of `value`, or a get). Trace: {"op", "kind",
// "key", "value"?}.
struct OpInvoke {
  static constexpr std::string_view kName = "op_invoke";
  int64_t op = 0;
  OpKind kind = OpKind::kGet;
  uint64_t key = 0;
  std::string value;  // a put's value
  void write_fields(Json& out) const {
    out["op"] = op;
    out["kind"] = op_kind_name(kind);
    out["key"] = key_name(key);
    if (kind == OpKind::kPut) out["value"] = value;
  }
};

enum class OpResult : uint8_t { kOk, kUnavailable, kTimeout };
inline const char* op_result_name(OpResult r) {
  return r == OpResult::kOk ? "ok" : r == OpResult::kUnavailable ? "unavailable" : "timeout";
}

// A client's operation ended. `value`: a put's value, or what a successful get found;
// `version`: the version a successful operation wrote or read. Trace: {"op", "kind",
// "key", "outcome", "ok", "latency_ns", "attempts", "coordinator", then "value" (a put),
// "found" (a successful get), "value" (a get that found one), "version": [vc, vn]}.
struct OpDone {
  static constexpr std::string_view kName = "op_done";
  const Cluster* cluster = nullptr;
  int64_t op = 0;
  OpKind kind = OpKind::kGet;
  uint64_t key = 0;
  OpResult outcome = OpResult::kTimeout;
  int64_t latency_ns = 0;  // by the client's local clock
  int64_t attempts = 0;
  NodeId coordinator = 0;  // of the last attempt
  bool found = false;      // a successful get: a value was found
  std::string value;       // a put's value; a successful get's value when found
  std::optional<std::pair<int64_t, NodeId>> version;

  bool ok() const { return outcome == OpResult::kOk; }
  void write_fields(Json& out) const {
    out["op"] = op;
    out["kind"] = op_kind_name(kind);
    out["key"] = key_name(key);
    out["outcome"] = op_result_name(outcome);
    out["ok"] = ok();
    out["latency_ns"] = latency_ns;
    out["attempts"] = attempts;
    out["coordinator"] = cluster->name(coordinator);
    if (kind == OpKind::kPut) out["value"] = value;
    if (ok() && kind == OpKind::kGet) {
      out["found"] = found;
      if (found) out["value"] = value;
    }
    if (version) out["version"] = Json::array({version->first, version->second});
  }
};

}  // namespace dsim::ring
