// A client of the bank: sends transfers, audits and the seed's "double" requests to a
// coordinator, on a script and/or at a random rate, and records what came back. It
// never retries: a request that times out is reported as unknown. Besides its own
// tx_submit / tx_result events it traces every request as a common client operation
// (core/client_op.h): op = the request's kind, ok on commit, fail on abort, unknown on a
// timeout; the id is the request's sequence number in this client process.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/process.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/settings.h"

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
    std::string kind;
    Instant sent;
    TimerId timeout = 0;
    int64_t handle = 0;
  };
  void submit(Context& ctx, const std::string& kind, Ops ops);
  void submit_scripted(Context& ctx, const ScriptedTx& s);
  void submit_random(Context& ctx);
  void schedule_next(Context& ctx);
  NodeId coordinator(Context& ctx) const;

  std::shared_ptr<const Settings> s_;
  std::map<std::string, Pending> pending_;  // by request id
  std::map<int64_t, std::string> by_handle_;
  int64_t next_seq_ = 1;
};

}  // namespace dsim::twopc
