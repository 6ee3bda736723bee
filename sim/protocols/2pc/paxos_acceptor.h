// An acceptor of Paxos Commit. It keeps nothing in memory: every instance's promise and
// accepted value live in its durable store (key "acc/<tx>/<rm>"), forced before it
// answers, so a restart needs no recovery step at all.
//
// Transitions, per instance:
//   P1A ballot b > promised      -> promised = b (forced); answer with what it accepted
//   P1A ballot b <= promised     -> answer "not promised" with its promise
//   P2A ballot b >= promised     -> accept (b, value) (forced); P2B to the proposer
//   P2A ballot b <  promised     -> ignore
#pragma once

#include "core/process.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc {

class PaxosAcceptor final : public Process {
 public:
  void on_start(Context&) override {}
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context&, const Timer&) override {}

 private:
  void on_p1a(Context& ctx, NodeId from, const msg::Phase1a& m);
  void on_p2a(Context& ctx, const msg::Phase2a& m);
};

}  // namespace dsim::twopc
