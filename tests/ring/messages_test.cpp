// The store's typed messages and events write the trace bodies its JSON ones did, key for
// key and in order (the pinned trace hashes check whole runs; these pin each shape).
#include <gtest/gtest.h>

#include <type_traits>

#include "protocols/ring/events.h"
#include "protocols/ring/messages.h"

namespace dsim::ring {
namespace {

template <typename T>
std::string fields(const T& value) {
  Json out = Json::object();
  value.write_fields(out);
  return out.dump();
}

TEST(RingMessages, BodiesInTheTracesOrder) {
  EXPECT_EQ(fields(Get{7, 2, 13}), R"({"op":7,"attempt":2,"key":13})");
  EXPECT_EQ(fields(Put{7, 1, 13, "c1-7"}), R"({"op":7,"attempt":1,"key":13,"value":"c1-7"})");
  EXPECT_EQ(fields(Read{4, 13}), R"({"op":4,"key":13})");
  EXPECT_EQ(fields(Write{"c1-7", 3, 4, 13, 2}), R"({"value":"c1-7","vc":3,"vn":2,"op":4,"key":13})");
  EXPECT_EQ(fields(WriteOk{4}), R"({"op":4})");
  ReadOk held{"c1-7", 4, 3, 2, true};
  EXPECT_EQ(fields(held), R"({"value":"c1-7","vc":3,"vn":2,"op":4,"found":true})");
  ReadOk none;
  none.op = 4;
  EXPECT_EQ(fields(none), R"({"op":4,"found":false})");
  static_assert(std::is_empty_v<Heartbeat>);  // no body in the trace, 4 bytes in flight
  Transfer t;
  t.items.push_back(TransferItem{"c2-1", 1, 5, 3});
  EXPECT_EQ(fields(t), R"({"items":[{"value":"c2-1","vc":1,"vn":3,"key":5}]})");
}

TEST(RingMessages, ReplyShowsWhatItsOutcomeCarries) {
  Reply r;
  r.op = 7;
  r.attempt = 2;
  EXPECT_EQ(fields(r), R"({"op":7,"attempt":2,"outcome":"unavailable"})");
  r.outcome = ReplyOutcome::kOk;
  r.is_put = true;
  r.vc = 5;
  r.vn = 1;
  EXPECT_EQ(fields(r), R"({"op":7,"attempt":2,"outcome":"ok","vc":5,"vn":1})");
  r.is_put = false;
  EXPECT_EQ(fields(r), R"({"op":7,"attempt":2,"outcome":"ok","found":false})");
  EXPECT_FALSE(r.has_version());
  r.found = true;
  r.value = "c1-3";
  EXPECT_EQ(fields(r), R"({"op":7,"attempt":2,"outcome":"ok","found":true,"value":"c1-3","vc":5,"vn":1})");
}

TEST(RingEvents, OpDoneInTheTracesOrder) {
  Cluster c;
  c.add("s0", "store");
  c.add("c1", "client");
  OpDone put;
  put.cluster = &c;
  put.op = 3;
  put.kind = OpKind::kPut;
  put.key = 9;
  put.outcome = OpResult::kOk;
  put.latency_ns = 100;
  put.attempts = 1;
  put.coordinator = 0;
  put.value = "c1-3";
  put.version.emplace(2, 0);
  EXPECT_EQ(fields(put), R"({"op":3,"kind":"put","key":"key-9","outcome":"ok","ok":true,"latency_ns":100,)"
                         R"("attempts":1,"coordinator":"s0","value":"c1-3","version":[2,0]})");
  OpDone get = put;
  get.kind = OpKind::kGet;
  get.found = true;
  EXPECT_EQ(fields(get), R"({"op":3,"kind":"get","key":"key-9","outcome":"ok","ok":true,"latency_ns":100,)"
                         R"("attempts":1,"coordinator":"s0","found":true,"value":"c1-3","version":[2,0]})");
  get.outcome = OpResult::kTimeout;
  get.version.reset();
  EXPECT_EQ(fields(get), R"({"op":3,"kind":"get","key":"key-9","outcome":"timeout","ok":false,)"
                         R"("latency_ns":100,"attempts":1,"coordinator":"s0"})");
}

}  // namespace
}  // namespace dsim::ring
