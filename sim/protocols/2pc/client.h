// A client of the bank: sends transfers, audits and the seed's "double" requests to a
// coordinator, on a script and/or at a random rate, and records what came back. It
// never retries: a request that times out is reported as unknown. Besides its own
// tx_submit / tx_result events it traces every request as a common client operation
// (core/client_op.h): op = the request's kind, ok on commit, fail on abort, unknown on a
// timeout; the id is the request's sequence number in this client process.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/process.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/request_id.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/tx_plan.h"

namespace dsim::twopc {

class Client final : public Process {
 public:
  using Ops = std::vector<std::pair<NodeId, std::vector<Op>>>;  // per participant, in order

  explicit Client(std::shared_ptr<const Settings> settings);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

 private:
  struct Pending {
    RequestId request;
    RequestKind kind = RequestKind::kTransfer;
    Instant sent;
    TimerId timeout = 0;
  };
  // Sends the request written in ops_scratch_ (then cleared).
  void submit(Context& ctx, RequestKind kind);
  // Sends the request of `plan` (plan_of_request's form).
  void submit(Context& ctx, RequestKind kind, PlanRef plan);
  // The request's op list for `participant` (appended, empty, the first time the request names it).
  std::vector<Op>& list_for(NodeId participant);
  // An audit reads every account at every participant.
  void audit_ops();
  void submit_scripted(Context& ctx, const ScriptedTx& s);
  void submit_random(Context& ctx);
  void schedule_next(Context& ctx);
  NodeId coordinator(Context& ctx) const;

  std::shared_ptr<const Settings> s_;
  // By handle: the request's sequence number in this process, its id's seq (also its
  // timeout timer's argument).
  // A vector sorted by handle (handles only grow, so a new one goes at the back): a few
  // requests are pending at once, and a map would allocate a node per request.
  using PendingList = std::vector<std::pair<int64_t, Pending>>;
  PendingList pending_;
  PendingList::iterator find_pending(int64_t handle);
  std::vector<NodeId> sites_scratch_;  // submit_random's draw, kept to reuse its memory
  std::vector<Op> transfer_ops_;       // submit_random's ops, one per site, the same
  Ops ops_scratch_;                    // a request's op lists, while it is put together
  std::vector<std::vector<Op>> spare_lists_;  // emptied lists, kept to reuse their memory
  int64_t next_seq_ = 1;
};

}  // namespace dsim::twopc
