// The typed messages write the bodies the trace has always shown: every message, built
// from a body in the trace's shape, writes that body back, key order included (the trace
// hashes pin whole runs; this names the message that drifted).
#include <gtest/gtest.h>

#include "harness.h"

namespace dsim::twopc::testing {
namespace {

void expect_round_trip(const std::string& type, const Json& body) {
  Message m = typed(type, body);
  EXPECT_EQ(m.type(), type);
  EXPECT_EQ(m.fields().dump(), body.dump()) << type;
}

Json tx_body(const std::string& tx, Json::object_t extra = {}) {
  Json out = Json::object();
  out["tx"] = tx;
  out["hops"] = 2;
  out["forces"] = 1;
  for (auto& [k, v] : extra) out[k] = v;
  return out;
}

TEST(Messages, EveryMessageWritesItsBodyInTheTracesKeyOrder) {
  Json ops = Json::array({add_op("a0", -10)});
  Json begin = Json::object();
  begin["request"] = "client.0.1";
  begin["kind"] = "transfer";
  begin["ops"] = Json::object();
  begin["ops"]["p2"] = Json::array({add_op("a1", 10)});
  begin["ops"]["p1"] = ops;
  expect_round_trip(msg::kBegin, begin);
  Json result = Json::object();
  result["request"] = "client.0.1";
  result["tx"] = "coord.0.1";
  result["outcome"] = "commit";
  result["reads"] = Json::object();
  result["reads"]["a3"] = 100;
  result["reads"]["a0"] = 90;
  result["results"] = Json::object();
  result["results"]["p2"] = 8;
  expect_round_trip(msg::kResult, result);
  expect_round_trip(msg::kExecute, tx_body("coord.0.1", {{"ops", ops}, {"participants", Json::array({"p1", "p2"})},
                                                {"acceptors", Json::array()}}));
  expect_round_trip(msg::kExecuted, tx_body("coord.0.1", {{"ok", true}, {"epoch", 0}, {"reads", Json::object()},
                                                 {"result", nullptr}}));
  expect_round_trip(msg::kExecuted, tx_body("coord.0.1", {{"ok", false}, {"reason", "locked by t0"}}));
  expect_round_trip(msg::kPrepare, tx_body("coord.0.1", {{"epoch", 1}, {"participants", Json::array({"p1", "p3"})}}));
  expect_round_trip(msg::kPrepare, tx_body("coord.0.1", {{"epoch", 1}, {"participants", Json::array({"p1"})},
                                                {"acceptors", Json::array({"acc1", "acc2", "acc3"})}}));
  for (const char* v : {"yes", "no", "read_only"}) expect_round_trip(msg::kVote, tx_body("coord.0.1", {{"vote", v}}));
  for (const char* o : {"commit", "abort"}) expect_round_trip(msg::kDecision, tx_body("coord.0.1", {{"outcome", o}}));
  for (const std::string& type : {msg::kAck, msg::kInquire, msg::kPeerInquire, msg::kPreCommit, msg::kPreCommitAck,
                                  msg::kStateRequest}) {
    expect_round_trip(type, tx_body("coord.0.1"));
  }
  for (const char* s : {"commit", "abort", "uncertain"}) expect_round_trip(msg::kPeerAnswer, tx_body("coord.0.1", {{"state", s}}));
  for (const char* s : {"committed", "precommitted", "uncertain", "aborted"}) {
    expect_round_trip(msg::kStateReply, tx_body("coord.0.1", {{"state", s}, {"recovering", true}}));
  }
  expect_round_trip(msg::kPhase1a, tx_body("coord.0.1", {{"rms", Json::array({"p1", "p2"})}, {"ballot", 7}}));
  Json accepted = Json::object();
  accepted["p2"] = nullptr;
  accepted["p1"] = Json::object();
  accepted["p1"]["ballot"] = 0;
  accepted["p1"]["value"] = "prepared";
  expect_round_trip(msg::kPhase1b, tx_body("coord.0.1", {{"ballot", 7}, {"promised", true}, {"max_promised", 3},
                                                {"accepted", accepted}}));
  Json values = Json::object();
  values["p2"] = "aborted";
  values["p1"] = "prepared";
  expect_round_trip(msg::kPhase2a, tx_body("coord.0.1", {{"ballot", 7}, {"values", values}, {"reply_to", "coord"}}));
  expect_round_trip(msg::kPhase2b, tx_body("coord.0.1", {{"ballot", 7}, {"values", values}}));
}

TEST(Messages, SmallMessagesTravelWithoutAnAllocation) {
  // A transaction id of up to 15 characters lives in the string itself.
  EXPECT_EQ(typed(msg::kVote, tx_body("coord.0.12345", {{"vote", "yes"}})).payload().heap_bytes(), 0u);
  EXPECT_EQ(typed(msg::kDecision, tx_body("coord.0.12345", {{"outcome", "commit"}})).payload().heap_bytes(), 0u);
  EXPECT_EQ(typed(msg::kAck, tx_body("coord.0.12345")).payload().heap_bytes(), 0u);
  // Execute and Prepare share the transaction's plan (tx_plan.h) instead of carrying copies.
  Json ops = Json::array({add_op("a0", -10)});
  EXPECT_EQ(typed(msg::kExecute, tx_body("coord.0.1", {{"ops", ops}, {"participants", Json::array({"p1", "p2"})},
                                                   {"acceptors", Json::array()}}))
                .payload().heap_bytes(),
            0u);
  EXPECT_EQ(typed(msg::kPrepare, tx_body("coord.0.1", {{"epoch", 1}, {"participants", Json::array({"p1", "p3"})}}))
                .payload().heap_bytes(),
            0u);
}

TEST(Messages, ExecuteMessagesShareOnePlanAndEachWritesItsOwnBranch) {
  const Cluster& c = names_cluster();
  NodeId p1 = *c.find("p1"), p2 = *c.find("p2");
  PlanRef plan = PlanRef::make(TxPlan{{p1, p2}, {}, {{Op{Op::Kind::kAdd, "a0", -10, 0}}, {Op{Op::Kind::kAdd, "a1", 10, 0}}}, {}});
  twopc::msg::Execute first, second;
  first.tx = second.tx = tx_id(c, "coord.0.1");
  first.plan = plan;
  second.plan = plan;
  second.branch = 1;
  EXPECT_EQ(&*first.plan, &*second.plan);
  Message copy(second);  // a copy of a message shares the plan too
  EXPECT_EQ(&*copy.as<twopc::msg::Execute>()->plan, &*plan);
  EXPECT_EQ(Message(first).fields().at("ops").at(0).at("account"), "a0");
  EXPECT_EQ(copy.fields().at("ops").at(0).at("account"), "a1");
  EXPECT_EQ(copy.fields().at("participants"), Json::array({"p1", "p2"}));
}

}  // namespace
}  // namespace dsim::twopc::testing
