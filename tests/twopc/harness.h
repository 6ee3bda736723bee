// Shared test setup: a small cluster (client, coord, p1..p3, optionally acc1..acc3), the
// family's settings read from JSON exactly as a scenario would give them, and builders
// for the messages a coordinator or participant receives.
#pragma once

#include <memory>
#include <string>

#include "protocols/twopc/messages.h"
#include "protocols/twopc/settings.h"
#include "scenario/config_reader.h"

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

inline Message execute_msg(const Harness& h, const std::string& tx, Json ops,
                           std::vector<NodeId> participants) {
  return msg::about(msg::kExecute, tx, 0, 0,
                    Json{{"ops", std::move(ops)}, {"participants", h.names(participants)},
                         {"acceptors", h.names(h.acceptors)}});
}
inline Message prepare_msg(const Harness& h, const std::string& tx, int64_t epoch,
                           std::vector<NodeId> participants) {
  return msg::about(msg::kPrepare, tx, 1, 0,
                    Json{{"epoch", epoch}, {"participants", h.names(participants)},
                         {"acceptors", h.names(h.acceptors)}});
}
inline Message decision_msg(const std::string& tx, const std::string& outcome) {
  return msg::about(msg::kDecision, tx, 3, 2, Json{{"outcome", outcome}});
}
inline Message tx_msg(const std::string& type, const std::string& tx, Json extra = Json::object()) {
  return msg::about(type, tx, 1, 0, std::move(extra));
}

}  // namespace dsim::twopc::testing
