// The coordinator side of a store node: any store node a client asks runs the operation
// over the key's replicas in ITS view. A get reads from the replicas and answers with
// the newest version among the first `read_quorum` replies. A put first reads versions
// the same way, then writes version (newest counter + 1, own id) and answers once
// `write_quorum` replicas acknowledged. With read_quorum + write_quorum > R and the same
// view everywhere, a get sees every put acknowledged before it began; with differing
// views (a suspected node, a transfer still in flight) it may not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/process.h"
#include "protocols/ring/messages.h"
#include "protocols/ring/store/op_table.h"
#include "protocols/ring/store/ownership.h"
#include "protocols/ring/store/replica_data.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

class Coordinator {
 public:
  explicit Coordinator(const StoreSettings& settings) : settings_(settings) {}

  // A client's Get or Put.
  void on_get(Context& ctx, NodeId client, const Get& m, const Ownership& ownership);
  void on_put(Context& ctx, NodeId client, const Put& m, const Ownership& ownership);
  // A replica's ReadOk or WriteOk.
  void on_read_ok(Context& ctx, NodeId from, const ReadOk& m);
  void on_write_ok(Context& ctx, NodeId from, const WriteOk& m);
  // Quorum not reached in time: the client hears "unavailable".
  void on_timeout(Context& ctx, int64_t op);

 private:
  enum class Phase { kRead, kWrite };
  struct Pending {
    NodeId client;
    int64_t client_op;  // the client's operation and attempt, echoed in the reply
    int64_t attempt;
    bool is_put;
    size_t key;
    std::string value;
    std::vector<NodeId> replicas;  // a copy: the store's view may change while this runs
    Phase phase = Phase::kRead;
    std::vector<NodeId> answered;  // distinct replicas (the network may duplicate)
    std::optional<Versioned> newest;
    Version written;
    TimerId timer = 0;
  };

  // A new operation's slot, every member reset (its storage kept).
  Pending& begin(int64_t op, NodeId client, int64_t client_op, int64_t attempt, bool is_put, size_t key);
  void on_request(Context& ctx, int64_t op, Pending& p, const Ownership& ownership);
  // A replica answered op's current phase (from == the replica).
  bool first_answer(Pending& p, NodeId from, bool read_reply);
  void start_phase(Context& ctx, int64_t op, Pending& p);
  void finish(Context& ctx, int64_t op, ReplyOutcome outcome);

  const StoreSettings& settings_;
  OpTable<Pending> pending_;
  int64_t next_op_ = 1;
};

}  // namespace dsim::ring
