// The availability-first lock's members, driven by hand (ap_lock_server.h): the owner
// answers once its backup acknowledged, a lone backup takes the lock over from its copy,
// the two owners merge after healing, and split-brain protection refuses a lone member.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/ap_lock_messages.h"
#include "protocols/locks/ap_lock_server.h"
#include "protocols/locks/messages.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::acquire_request;
using testing::sent_to;
using testing::test_cluster;

// The lease every acquire in this file asks for.
const Duration kApLease = Duration::seconds(10);

class ApLock : public ::testing::Test {
 protected:
  ServiceSettings settings(int64_t protection = 0) const {
    ServiceSettings s;
    s.service = LockService::kAp;
    s.ap.split_brain_protection = protection;
    return s;
  }
  // Lets `member` go without hearing its peer for longer than member_timeout.
  static void silence(ApLockServer& member, FakeContext& ctx) {
    for (int i = 0; i < 12; ++i) {
      std::optional<Timer> t = ctx.take_timer("member.heartbeat");
      ASSERT_TRUE(t);
      member.on_timer(ctx, *t);
    }
  }
  Cluster cluster_ = test_cluster(2);
  NodeId lock1_ = *cluster_.find("lock1");
  NodeId lock2_ = *cluster_.find("lock2");
  NodeId c1_ = *cluster_.find("c1");
  NodeId c2_ = *cluster_.find("c2");
};

TEST_F(ApLock, TheOwnerAnswersOnceTheBackupHasTheGrant) {
  ApLockServer owner(settings(), lock1_, lock2_);
  FakeContext o(cluster_, "lock1");
  owner.on_start(o);
  ApLockServer backup(settings(), lock1_, lock1_);
  FakeContext b(cluster_, "lock2");
  backup.on_start(b);
  EXPECT_TRUE(owner.is_owner());
  EXPECT_FALSE(backup.is_owner());
  o.take_sent();
  owner.on_message(o, c1_, acquire_request("c1/0/1", 1, kApLease));
  EXPECT_TRUE(sent_to<AcquireOk>(o, c1_).empty());
  std::vector<MemberHeartbeat> state = sent_to<MemberHeartbeat>(o, lock2_);
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].holder, "c1/0/1");
  backup.on_message(b, lock1_, state[0]);
  std::vector<MemberAck> acks = sent_to<MemberAck>(b, lock1_);
  ASSERT_EQ(acks.size(), 1u);
  owner.on_message(o, lock2_, acks[0]);
  ASSERT_EQ(sent_to<AcquireOk>(o, c1_).size(), 1u);
  EXPECT_EQ(sent_to<AcquireOk>(o, c1_)[0].token, 1);
  // The backup refuses clients: they must ask the owner.
  backup.on_message(b, c2_, acquire_request("c2/0/1", 1, kApLease));
  EXPECT_EQ(sent_to<NotOwner>(b, c2_).size(), 1u);
}

TEST_F(ApLock, ALoneBackupTakesTheLockOverAndBothSidesServe) {
  ApLockServer backup(settings(), lock1_, lock1_);
  FakeContext b(cluster_, "lock2");
  backup.on_start(b);
  silence(backup, b);
  EXPECT_TRUE(backup.is_owner());
  ASSERT_EQ(b.traced("took_ownership").size(), 1u);
  backup.on_message(b, c2_, acquire_request("c2/0/1", 1, kApLease));
  EXPECT_EQ(sent_to<AcquireOk>(b, c2_).size(), 1u);  // alone: answered at once
  // Healing: the old owner's heartbeat. The higher node id gives its lock up.
  MemberHeartbeat hb;
  hb.owner = true;
  hb.seq = 1;
  hb.counter = 1;
  hb.has_key = true;
  hb.holder = "c1/0/1";
  hb.client = c1_;
  hb.expires_at_ns = Duration::seconds(10).ns;
  hb.token = 1;
  backup.on_message(b, lock1_, hb);
  EXPECT_FALSE(backup.is_owner());
  ASSERT_EQ(b.traced("freed").size(), 1u);
  EXPECT_EQ(b.traced("freed")[0]["owner"], "c2/0/1");
  EXPECT_EQ(b.traced("freed")[0]["cause"], "merged");
}

TEST_F(ApLock, SplitBrainProtectionRollsBackAnUnbackedGrantAndRefusesALoneMember) {
  ApLockServer owner(settings(2), lock1_, lock2_);
  FakeContext o(cluster_, "lock1");
  owner.on_start(o);
  owner.on_message(o, c1_, acquire_request("c1/0/1", 4, kApLease));
  silence(owner, o);  // the backup never acknowledges, and is removed
  EXPECT_FALSE(owner.peer_present());
  ASSERT_EQ(sent_to<NoQuorum>(o, c1_).size(), 1u);
  EXPECT_EQ(sent_to<NoQuorum>(o, c1_)[0].req, 4);
  EXPECT_TRUE(sent_to<AcquireOk>(o, c1_).empty());
  ASSERT_EQ(o.traced("freed").size(), 1u);
  EXPECT_EQ(o.traced("freed")[0]["cause"], "no_quorum");
  owner.on_message(o, c2_, acquire_request("c2/0/1", 1, kApLease));
  EXPECT_EQ(sent_to<NoQuorum>(o, c2_).size(), 1u);
}

TEST_F(ApLock, WithoutProtectionTheOwnerAnswersWhenItsBackupIsRemoved) {
  ApLockServer owner(settings(), lock1_, lock2_);
  FakeContext o(cluster_, "lock1");
  owner.on_start(o);
  owner.on_message(o, c1_, acquire_request("c1/0/1", 1, kApLease));
  silence(owner, o);
  EXPECT_EQ(sent_to<AcquireOk>(o, c1_).size(), 1u);
}

TEST_F(ApLock, ARestartedOwnerJoinsEmptyAndTakesTheSurvivorsState) {
  auto disk = std::make_shared<DurableStore>();
  ApLockServer restarted(settings(), lock1_, lock2_);
  FakeContext o(cluster_, "lock1", 1, disk);
  restarted.on_start(o);
  EXPECT_FALSE(restarted.is_owner());
  MemberHeartbeat hb;
  hb.owner = true;
  hb.seq = 0;  // the survivor's first change numbers from 0 too: still news to a newcomer
  hb.counter = 7;
  restarted.on_message(o, lock2_, hb);
  EXPECT_EQ(sent_to<MemberAck>(o, lock2_).size(), 1u);
  EXPECT_FALSE(restarted.is_owner());
}

}  // namespace
}  // namespace dsim::locks
