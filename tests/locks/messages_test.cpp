// The family's message and event types: how they are held in flight and the shape the
// trace gives them where a key is optional (the trace-hash test pins every shipped
// scenario's trace; these pin the cases one at a time).
#include <gtest/gtest.h>

#include "core/client_op.h"

#include "core/message.h"
#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/renewal_messages.h"

namespace dsim::locks {
namespace {

// Inline: sending allocates no payload (a long owner string, or the listing's entries, still
// allocate their own buffers).
TEST(LockMessages, HeldInlineExceptConsulsAcquireResult) {
  const std::string owner = "client10/0/123.4";
  std::vector<Message> inline_messages = {
      AcquireRequest{owner, 1, 1000, true, true}, AcquireOk{owner, 1, 7}, AcquireBusy{owner, 1},
      ReleaseRequest{owner}, WriteRequest{owner, 2, 7}, WriteOk{owner, 2},
      Create{5, owner, true, 3}, Created{9, owner, 5, 3}, Delete{5, 9, owner},
      Children{{{9, owner}}, 4}, ConsulAcquire{5, owner, 3}, ConsulRelease{5, owner, 2},
      Extend{owner, 1000, 3}, ExtendResult{owner, 3, true},
      WatchFired{9, 9, 1}, ChildrenChanged{true, 9, 2}, KeyChanged{3, true, 4, 3}};
  for (const Message& m : inline_messages) EXPECT_EQ(m.payload().heap_bytes(), 0u) << m.type();
  Message result = AcquireResult{};
  EXPECT_GT(result.payload().heap_bytes(), 0u);
}

TEST(LockMessages, OptionalKeysAreWrittenOnlyWhenSet) {
  Message redlock = AcquireRequest{"c1/0/1.1", 0, 1000, /*has_req=*/false, /*has_ttl=*/true};
  EXPECT_EQ(redlock.fields().dump(), R"({"owner":"c1/0/1.1","ttl_ns":1000})");
  Message naive = AcquireRequest{"c1/0/1", 4, 0, /*has_req=*/true, /*has_ttl=*/false};
  EXPECT_EQ(naive.fields().dump(), R"({"owner":"c1/0/1","req":4})");
  EXPECT_EQ(Message(AcquireOk{"c1/0/1", 4, std::nullopt}).fields().dump(), R"({"owner":"c1/0/1","req":4})");
  EXPECT_EQ(Message(ChildrenChanged{false, 0, 3}).fields().dump(), R"({"cause":"created","notice":3})");
  EXPECT_EQ(Message(ChildrenChanged{true, 8, 3}).fields().dump(),
            R"({"cause":"deleted","release_id":8,"notice":3})");
  EXPECT_EQ(Message(Create{5, "c1/0/1.1", false, 2}).fields().dump(),
            R"({"session":5,"owner":"c1/0/1.1","tag":"","req":2})");
  // A tagged (protected) entry also shows its owning session.
  EXPECT_EQ(Message(Children{{{3, "", 5}, {4, "c2/0/1.1", 7}}, 6}).fields().dump(),
            R"({"entries":[[3,""],[4,"c2/0/1.1",7]],"req":6})");
  AcquireResult invalid;
  invalid.req = 2;
  invalid.session_invalid = true;
  invalid.owner = "c1/0/1";
  EXPECT_EQ(Message(invalid).fields().dump(),
            R"({"modify_index":0,"held":false,"req":2,"ok":false,"session_invalid":true,"owner":"c1/0/1"})");
}

TEST(LockEvents, OptionalKeysAreWrittenOnlyWhenSet) {
  events::Freed expired{"c1/0/1", "c1", "expired"};
  EXPECT_EQ(events::fields_of(expired).dump(), R"({"owner":"c1/0/1","client":"c1","cause":"expired"})");
  events::Freed released{"c1/0/1", "c1", "delete", 4, "c1/0/1", "c1"};
  EXPECT_EQ(events::fields_of(released).dump(),
            R"({"owner":"c1/0/1","client":"c1","cause":"delete","release_id":4,"by":"c1/0/1","by_client":"c1"})");
  events::Grant restored{"c1/0/1", "c1", 3};
  restored.restored = true;
  EXPECT_EQ(events::fields_of(restored).dump(), R"({"owner":"c1/0/1","client":"c1","token":3,"restored":true})");
  EXPECT_FALSE(PayloadRef::to(events::LockDelayEnd{}).has_fields());  // the trace shows no "data"
  events::OpValue value{"c1/0/1", 0};
  ClientOp write{OpPhase::kInvoke, 2, "write", &value,
                 [](const void* v, Json& out) { static_cast<const events::OpValue*>(v)->write_fields(out); }};
  EXPECT_EQ(events::fields_of(write).dump(),
            R"({"type":"invoke","id":2,"op":"write","value":{"owner":"c1/0/1","n":0}})");
}

}  // namespace
}  // namespace dsim::locks
