// The typed messages write the bodies the trace has always shown: every message, built
// from a body in the trace's shape, writes that body back, key order included (the trace
// hashes pin whole runs; this names the message that drifted).
#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <vector>

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
  PlanRef plan = PlanRef::make(TxPlan::of({p1, p2}, {}, {{Op{Op::Kind::kAdd, 0, -10, 0}}, {Op{Op::Kind::kAdd, 1, 10, 0}}}));
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

TEST(Messages, ARequestsPlanKeepsEachParticipantsFirstPlaceAndLastListInOneBlock) {
  const Cluster& c = names_cluster();
  NodeId p1 = *c.find("p1"), p2 = *c.find("p2"), p3 = *c.find("p3");
  // Written p2, p1, p2 again, p3: p2 keeps its first place and its last list.
  std::vector<std::pair<NodeId, std::vector<Op>>> written = {
      {p2, {Op{Op::Kind::kAdd, 1, 5, 0}}},
      {p1, {Op{Op::Kind::kAdd, 0, -7, 0}, Op{Op::Kind::kReadAll, 0, 0, 0}}},
      {p2, {Op{Op::Kind::kAdd, 1, 7, 0}}},
      {p3, {}},
  };
  TxPlan plan = plan_of_request(written);
  EXPECT_EQ(plan.participants, (std::vector<NodeId>{p1, p2, p3}));
  ASSERT_EQ(plan.ops_of(0).size(), 2u);
  EXPECT_EQ(plan.ops_of(0)[0].account, 0u);
  EXPECT_EQ(plan.ops_of(0)[1].kind, Op::Kind::kReadAll);
  ASSERT_EQ(plan.ops_of(1).size(), 1u);
  EXPECT_EQ(plan.ops_of(1)[0].amount, 7);
  EXPECT_TRUE(plan.ops_of(2).empty());
  EXPECT_EQ(plan.ops.size(), 3u);  // all of them in one vector
  EXPECT_EQ(std::vector<uint32_t>(plan.request_order.begin(), plan.request_order.end()),
            (std::vector<uint32_t>{1, 0, 2}));
  // The lists written are copied, not taken: the client reuses their memory.
  EXPECT_EQ(written[0].second.size(), 1u);
  // A plan without ops (a coordinator's recovered transaction) has none for anyone.
  TxPlan recovered{{p1, p2}, {}, {}, {}, {}};
  EXPECT_TRUE(recovered.ops_of(0).empty());
  EXPECT_TRUE(recovered.ops_of(1).empty());
}

// A plan no one holds goes back to its thread's pool: the next one made takes its block,
// and finds every list empty (nothing of the old plan shows), while a plan still held by
// a copy stays as it was.
TEST(Messages, APlanNoOneHoldsIsReusedEmptyAndAHeldOneIsLeftAlone) {
  const Cluster& c = names_cluster();
  NodeId p1 = *c.find("p1"), p2 = *c.find("p2");
  std::vector<std::pair<NodeId, std::vector<Op>>> written = {{p2, {Op{Op::Kind::kAdd, 1, 5, 0}}},
                                                             {p1, {Op{Op::Kind::kAdd, 0, -5, 0}}}};
  PlanRef first = PlanRef::build([&](TxPlan& p) { plan_of_request(written, p); });
  const TxPlan* block = &*first;
  PlanRef held = first;
  first = PlanRef{};  // `held` still holds it
  PlanRef other = PlanRef::build([](TxPlan& p) { p.participants = {9}; });
  EXPECT_NE(&*other, block);
  EXPECT_EQ(held->participants, (std::vector<NodeId>{p1, p2}));
  EXPECT_EQ(held->ops_of(1)[0].amount, 5);
  held = PlanRef{};  // the last holder: back to the pool
  bool empty = false;
  size_t kept_participants = 0, kept_ops = 0;
  PlanRef next = PlanRef::build([&](TxPlan& p) {
    empty = p.participants.empty() && p.acceptors.empty() && p.ops.empty() && p.op_start.empty() &&
            p.request_order.empty();
    kept_participants = p.participants.capacity();  // a fresh block's lists have none
    kept_ops = p.ops.capacity();
    plan_of_request({{p1, {Op{Op::Kind::kAdd, 0, 3, 0}}}}, p);
  });
  EXPECT_EQ(&*next, block);
  EXPECT_TRUE(empty);
  EXPECT_GE(kept_participants, 2u);  // the old plan's lists' memory: the pool's block
  EXPECT_GE(kept_ops, 2u);
  EXPECT_EQ(next->participants, (std::vector<NodeId>{p1}));
  EXPECT_EQ(next->ops.size(), 1u);
  EXPECT_EQ(std::vector<uint32_t>(next->request_order.begin(), next->request_order.end()),
            (std::vector<uint32_t>{0}));
}

// A random transfer's plan is made without per-site lists (plan_of_distinct_sites): it
// must be the plan plan_of_request makes of one list per site, for every order of sites.
TEST(Messages, ATransfersPlanMadeWithoutListsIsTheRequestsPlan) {
  std::vector<NodeId> sites = {4, 2, 7, 3};
  std::sort(sites.begin(), sites.end());
  int orders = 0;
  do {
    for (size_t n = 1; n <= sites.size(); ++n) {
      std::span<const NodeId> drawn(sites.data(), n);
      std::vector<Op> ops;
      std::vector<std::pair<NodeId, std::vector<Op>>> written;
      for (size_t i = 0; i < n; ++i) {
        ops.push_back(Op{Op::Kind::kAdd, static_cast<uint32_t>(10 * i + drawn[i]), i == 0 ? -7 : 7, 0});
        written.push_back({drawn[i], {ops.back()}});
      }
      const TxPlan want = plan_of_request(written);
      TxPlan got = TxPlan::of({9, 9, 9}, {1}, {{Op{}}, {}, {Op{}, Op{}}});  // overwritten whole
      plan_of_distinct_sites(drawn, ops, got);
      EXPECT_EQ(got.participants, want.participants);
      EXPECT_EQ(got.acceptors, want.acceptors);
      ASSERT_EQ(got.ops.size(), want.ops.size());
      for (size_t k = 0; k < got.ops.size(); ++k) {
        EXPECT_EQ(got.ops[k].account, want.ops[k].account);
        EXPECT_EQ(got.ops[k].amount, want.ops[k].amount);
      }
      EXPECT_EQ(std::vector<uint32_t>(got.op_start.begin(), got.op_start.end()),
                std::vector<uint32_t>(want.op_start.begin(), want.op_start.end()));
      EXPECT_EQ(std::vector<uint32_t>(got.request_order.begin(), got.request_order.end()),
                std::vector<uint32_t>(want.request_order.begin(), want.request_order.end()));
    }
    ++orders;
  } while (std::next_permutation(sites.begin(), sites.end()));
  EXPECT_EQ(orders, 24);
}

TEST(Messages, TheCommonExecutedAndResultAreHeldInlineAndTheRareFieldsStillWrite) {
  static_assert(payload_detail::fits_inline<twopc::msg::Executed>);
  static_assert(payload_detail::fits_inline<twopc::msg::Result>);
  const Cluster& c = names_cluster();
  twopc::msg::Executed ok;
  ok.tx = tx_id(c, "coord.0.1");
  ok.ok = true;
  EXPECT_EQ(Message(ok).payload().heap_bytes(), 0u);
  EXPECT_EQ(Message(ok).fields().at("reads"), Json::object());
  EXPECT_TRUE(Message(ok).fields().at("result").is_null());
  twopc::msg::Executed refused = ok;
  refused.ok = false;
  refused.rare.make().reason = "insufficient funds in a3";
  Message copy(refused);  // a copy carries its own copy of the rare fields
  EXPECT_EQ(copy.fields().at("reason"), "insufficient funds in a3");
  EXPECT_NE(copy.as<twopc::msg::Executed>()->rare.get(), refused.rare.get());
}

}  // namespace
}  // namespace dsim::twopc::testing
