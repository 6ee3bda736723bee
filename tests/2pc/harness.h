// Shared test setup: a small cluster (client, coord, p1..p3, optionally acc1..acc3), the
// family's settings read from JSON exactly as a scenario would give them, and builders
// for the messages a coordinator or participant receives.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "protocols/2pc/bank.h"
#include "protocols/2pc/messages.h"
#include "protocols/2pc/settings.h"
#include "scenario/config_reader.h"
#include "tx_text.h"

namespace dsim::twopc::testing {

struct Harness {
  Cluster cluster;
  NodeId client, coord, p1, p2, p3;
  std::vector<NodeId> acceptors;
  std::shared_ptr<Settings> settings;

  // Accounts a0..a5: a0, a3 on p1; a1, a4 on p2; a2, a5 on p3; 100 each.
  explicit Harness(const std::string& variant, Json protocol = Json::object(), bool with_acceptors = false) {
    client = cluster.add("client", "client");
    coord = cluster.add("coord", "coordinator");
    p1 = cluster.add("p1", "participant");
    p2 = cluster.add("p2", "participant");
    p3 = cluster.add("p3", "participant");
    if (with_acceptors) {
      for (int i = 1; i <= 3; ++i) acceptors.push_back(cluster.add("acc" + std::to_string(i), "acceptor"));
    }
    Json workload{{"accounts", 6}, {"script", Json::array({Json{{"at", "10ms"}, {"audit", true}}})}};
    ConfigReader pr(protocol, "test", "$.protocol");
    ConfigReader wr(workload, "test", "$.workload");
    settings = std::make_shared<Settings>(read_settings(variant, pr, wr, cluster, Duration::seconds(10)));
    pr.finish();
    wr.finish();
  }

  Json names(const std::vector<NodeId>& nodes) const {
    Json out = Json::array();
    for (NodeId n : nodes) out.push_back(cluster.name(n));
    return out;
  }
};

inline Json add_op(const std::string& account, int64_t amount) {
  return Json{{"op", "add"}, {"account", account}, {"amount", amount}};
}
inline Json read_all_op() { return Json{{"op", "read_all"}}; }

// The names of the family's messages, for tests that write a message as its trace shows
// it (a name and a JSON body) and build the typed message from that with typed().
namespace msg {
inline const std::string kBegin = "begin";
inline const std::string kResult = "result";
inline const std::string kExecute = "execute";
inline const std::string kExecuted = "executed";
inline const std::string kPrepare = "prepare";
inline const std::string kVote = "vote";
inline const std::string kDecision = "decision";
inline const std::string kAck = "ack";
inline const std::string kInquire = "inquire";
inline const std::string kPeerInquire = "peer_inquire";
inline const std::string kPeerAnswer = "peer_answer";
inline const std::string kPreCommit = "pre_commit";
inline const std::string kPreCommitAck = "pre_commit_ack";
inline const std::string kStateRequest = "state_req";
inline const std::string kStateReply = "state_reply";
inline const std::string kPhase1a = "p1a";
inline const std::string kPhase1b = "p1b";
inline const std::string kPhase2a = "p2a";
inline const std::string kPhase2b = "p2b";
}  // namespace msg

// Every node name a Harness can have, with the same ids (acceptors come last): typed()
// reads names through it, and the messages it builds write names through it.
inline const Cluster& names_cluster() {
  static const Cluster c = [] {
    Cluster out;
    for (const char* role_name : {"client:client", "coord:coordinator", "p1:participant", "p2:participant",
                                  "p3:participant", "acc1:acceptor", "acc2:acceptor", "acc3:acceptor"}) {
      std::string s = role_name;
      out.add(s.substr(0, s.find(':')), s.substr(s.find(':') + 1));
    }
    return out;
  }();
  return c;
}

// The typed message whose trace shows `type` with body `b`.
inline Message typed(const std::string& type, const Json& b) {
  namespace m = ::dsim::twopc::msg;
  const Cluster& c = names_cluster();
  const Json none = Json::object();
  auto field = [&](const char* key) -> const Json& { return b.contains(key) ? b.at(key) : none; };
  auto ids = [&](const char* key) {
    std::vector<NodeId> out;
    if (!b.contains(key)) return out;
    for (const Json& n : b.at(key)) out.push_back(*c.find(n.get<std::string>()));
    return out;
  };
  auto outcome = [](const Json& o) { return o == "commit" ? Outcome::kCommit : Outcome::kAbort; };
  m::TxMessage about{tx_id(c, b.value("tx", std::string())), b.value("hops", int64_t{0}), b.value("forces", int64_t{0})};
  auto with = [&](auto message) {
    static_cast<m::TxMessage&>(message) = about;
    return message;
  };
  auto values = [&]() {
    m::RmValues out;
    for (const auto& [rm, v] : b.at("values").items()) out.emplace_back(rm, v.get<std::string>());
    return out;
  };
  if (type == msg::kBegin) {
    std::vector<std::pair<NodeId, std::vector<Op>>> written;
    for (const auto& [p, ops] : b.at("ops").items()) written.emplace_back(*c.find(p), ops_from_json(ops));
    const std::string kind = b.value("kind", std::string("transfer"));
    RequestKind k = kind == "audit" ? RequestKind::kAudit : kind == "double" ? RequestKind::kDouble
                                                                                   : RequestKind::kTransfer;
    return m::Begin{request_id(c, b.at("request").get<std::string>()), PlanRef::make(plan_of_request(written)), &c, k};
  }
  if (type == msg::kResult) {
    m::Result x;
    x.request = request_id(c, b.at("request").get<std::string>());
    x.tx = tx_id(c, b.at("tx").get<std::string>());
    x.outcome = outcome(b.at("outcome"));
    m::Result::Answers a;
    for (const auto& [k, v] : field("reads").items()) a.reads.emplace_back(k, v.get<int64_t>());
    for (const auto& [k, v] : field("results").items()) a.results.emplace_back(*c.find(k), v.get<int64_t>());
    if (!a.reads.empty() || !a.results.empty()) x.answers.make() = std::move(a);
    return x;
  }
  if (type == msg::kExecute) {
    m::Execute x = with(m::Execute{});
    // The receiver's branch alone: a plan of one op list (tx_plan.h).
    x.plan = PlanRef::make(TxPlan::of(ids("participants"), ids("acceptors"), {ops_from_json(b.at("ops"))}));
    x.branch = 0;
    return x;
  }
  if (type == msg::kExecuted) {
    m::Executed x = with(m::Executed{});
    x.ok = b.at("ok").get<bool>();
    x.epoch = b.value("epoch", uint32_t{0});
    m::Executed::Rare r;
    for (const auto& [k, v] : field("reads").items()) r.reads.emplace_back(k, v.get<int64_t>());
    if (b.contains("result") && !b.at("result").is_null()) r.result = b.at("result").get<int64_t>();
    r.reason = b.value("reason", std::string());
    if (!r.reads.empty() || r.result || !r.reason.empty()) x.rare.make() = std::move(r);
    return x;
  }
  if (type == msg::kPrepare) {
    m::Prepare x = with(m::Prepare{});
    x.epoch = b.value("epoch", int64_t{-1});
    // A plan lists acceptors only in Paxos Commit, and its Prepare writes them then.
    x.plan = PlanRef::make(TxPlan{ids("participants"), ids("acceptors"), {}, {}, {}});
    return x;
  }
  if (type == msg::kVote) {
    const Json& v = b.at("vote");
    return with(m::Vote{{}, v == "yes" ? VoteValue::kYes : v == "no" ? VoteValue::kNo : VoteValue::kReadOnly});
  }
  if (type == msg::kDecision) return with(m::Decision{{}, outcome(b.at("outcome"))});
  if (type == msg::kAck) return with(m::Ack{});
  if (type == msg::kInquire) return with(m::Inquire{});
  if (type == msg::kPeerInquire) return with(m::PeerInquire{});
  if (type == msg::kPeerAnswer) {
    const Json& st = b.at("state");
    return with(m::PeerAnswer{{}, st == "commit"  ? m::PeerState::kCommit
                                  : st == "abort" ? m::PeerState::kAbort
                                                  : m::PeerState::kUncertain});
  }
  if (type == msg::kPreCommit) return with(m::PreCommit{});
  if (type == msg::kPreCommitAck) return with(m::PreCommitAck{});
  if (type == msg::kStateRequest) return with(m::StateRequest{});
  if (type == msg::kStateReply) {
    const Json& st = b.at("state");
    m::TerminationState state = st == "committed"      ? m::TerminationState::kCommitted
                                : st == "precommitted" ? m::TerminationState::kPreCommitted
                                : st == "uncertain"    ? m::TerminationState::kUncertain
                                                       : m::TerminationState::kAborted;
    return with(m::StateReply{{}, state, b.value("recovering", false)});
  }
  if (type == msg::kPhase1a) return with(m::Phase1a{{}, b.at("rms").get<std::vector<std::string>>(), b.at("ballot").get<int64_t>()});
  if (type == msg::kPhase1b) {
    m::Phase1b x = with(m::Phase1b{});
    x.ballot = b.at("ballot").get<int64_t>();
    x.promised = b.at("promised").get<bool>();
    x.max_promised = b.value("max_promised", int64_t{0});
    for (const auto& [rm, a] : field("accepted").items()) {
      m::AcceptedValue v{rm, std::nullopt};
      if (!a.is_null()) v.accepted = std::make_pair(a.at("ballot").get<int64_t>(), a.at("value").get<std::string>());
      x.accepted.push_back(std::move(v));
    }
    return x;
  }
  if (type == msg::kPhase2a) {
    return with(m::Phase2a{{}, b.at("ballot").get<int64_t>(), values(), *c.find(b.at("reply_to").get<std::string>()), &c});
  }
  if (type == msg::kPhase2b) return with(m::Phase2b{{}, b.at("ballot").get<int64_t>(), values()});
  ADD_FAILURE() << "typed(): no message " << type;
  return Message();  // empty: the test has already failed
}

// A message about `tx` with the causal counters, as its trace shows it.
inline Message about(const std::string& type, const std::string& tx, int64_t hops, int64_t forces,
                     const Json& extra = Json::object()) {
  Json body{{"tx", tx}, {"hops", hops}, {"forces", forces}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return typed(type, body);
}

inline Message execute_msg(const Harness& h, const std::string& tx, Json ops,
                           std::vector<NodeId> participants) {
  return about(msg::kExecute, tx, 0, 0,
               Json{{"ops", std::move(ops)}, {"participants", h.names(participants)},
                    {"acceptors", h.names(h.acceptors)}});
}
inline Message prepare_msg(const Harness& h, const std::string& tx, int64_t epoch,
                           std::vector<NodeId> participants) {
  return about(msg::kPrepare, tx, 1, 0,
               Json{{"epoch", epoch}, {"participants", h.names(participants)},
                    {"acceptors", h.names(h.acceptors)}});
}
inline Message decision_msg(const std::string& tx, const std::string& outcome) {
  return about(msg::kDecision, tx, 3, 2, Json{{"outcome", outcome}});
}
inline Message tx_msg(const std::string& type, const std::string& tx, Json extra = Json::object()) {
  return about(type, tx, 1, 0, extra);
}

}  // namespace dsim::twopc::testing
