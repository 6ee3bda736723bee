// The bank's account layout: which participant holds which account. The client draws
// transfer accounts from accounts_of(), the participants check them with home_of(); the
// two must agree for every account, or a transfer would be refused as "no account here".
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json_object.h"
#include "protocols/2pc/account_balances.h"
#include "protocols/2pc/bank.h"

namespace dsim::twopc {
namespace {

TEST(AccountLayout, EveryAccountIsListedOnceAndOnlyAtItsHome) {
  const std::vector<NodeId> participants = {3, 4, 5, 6};
  AccountLayout layout(64, participants);
  std::set<std::string> seen;
  for (NodeId p : participants) {
    const std::vector<std::string>& accounts = layout.accounts_of(p);
    EXPECT_EQ(accounts.size(), 16u);
    for (const std::string& a : accounts) {
      EXPECT_EQ(layout.home_of(a), p) << a;
      EXPECT_TRUE(seen.insert(a).second) << a << " listed twice";
    }
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(AccountBalances, HoldsWhatAMapByAccountNameWould) {
  AccountLayout layout(12, {3, 4, 5});
  AccountBalances b;
  b.reset(layout, 4);  // a1, a4, a7, a10
  EXPECT_EQ(b.get("a4"), 0);
  EXPECT_TRUE(b.as_map().empty());  // nothing known until written
  b["a10"] = 7;
  b["a1"] += 5;
  b["a2"] = 9;     // another participant's account: kept by name, as a map would
  b["a01"] = 1;    // not an account's name (a leading zero)
  EXPECT_EQ(b.get("a1"), 5);
  EXPECT_EQ(b.get("a2"), 9);
  EXPECT_EQ(b.get("a7"), 0);
  const std::map<std::string, int64_t> want = {{"a01", 1}, {"a1", 5}, {"a10", 7}, {"a2", 9}};
  EXPECT_EQ(b.as_map(), want);
  EXPECT_EQ(b.as_map().begin()->first, "a01");  // text order, as the trace shows them
  b.assign({{"a4", 3}, {"zz", 2}});
  const std::map<std::string, int64_t> replaced = {{"a4", 3}, {"zz", 2}};
  EXPECT_EQ(b.as_map(), replaced);
}

TEST(AccountLayout, ListsAccountsInAccountOrder) {
  AccountLayout layout(10, {7, 8, 9});
  EXPECT_EQ(layout.accounts_of(7), (std::vector<std::string>{"a0", "a3", "a6", "a9"}));
  EXPECT_EQ(layout.accounts_of(8), (std::vector<std::string>{"a1", "a4", "a7"}));
  EXPECT_EQ(layout.accounts_of(9), (std::vector<std::string>{"a2", "a5", "a8"}));
}

TEST(AccountLayout, ANodeThatIsNoParticipantHoldsNothing) {
  AccountLayout layout(8, {1, 2});
  EXPECT_TRUE(layout.accounts_of(0).empty());
  EXPECT_TRUE(layout.accounts_of(kNoNode).empty());
  EXPECT_EQ(layout.home_of("a8"), kNoNode);  // past the last account
  EXPECT_TRUE(AccountLayout(8, {}).accounts_of(1).empty());
}

// index_of knows exactly the names account_name() gives: a leading zero, a sign, a
// non-digit or a number past the last account is no account.
TEST(AccountLayout, IndexOfKnowsOnlyTheNamesItGives) {
  AccountLayout layout(12, {1, 2});
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(layout.index_of(AccountLayout::account_name(i)), i);
  for (const char* bad : {"a", "a01", "a00", "a012", "b1", "a-1", "a+1", "a1x", "a12", "a1000000000000", ""}) {
    EXPECT_EQ(layout.index_of(bad), -1) << bad;
  }
}

// The lock table keeps its accounts in name order (held_by lists them so, and the trace
// shows that list), also for names that tie on their first 8 bytes or hold a NUL.
TEST(LockTable, ListsHeldAccountsInNameOrder) {
  std::vector<std::string> names = {"a9", "a10", "a1", "account_long_1", "account_long_0", "account_", "b",
                                    std::string("a\0", 2), "a"};
  LockTable locks;
  TxId t1{nullptr, 0, 0, 1}, t2{nullptr, 0, 0, 2}, holder;
  ASSERT_TRUE(locks.try_lock(t1, names, {}, &holder));
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(locks.held_by(t1), sorted);
  for (const std::string& a : names) {
    EXPECT_FALSE(locks.try_lock(t2, {a}, {}, &holder)) << a;
    EXPECT_EQ(holder, t1);
  }
  EXPECT_TRUE(locks.try_lock(t2, {"account_long_2", "a2"}, {}, &holder));
  EXPECT_EQ(locks.held_by(t2), (std::vector<std::string>{"a2", "account_long_2"}));
  locks.release(t1);
  EXPECT_TRUE(locks.held_by(t1).empty());
  EXPECT_TRUE(locks.try_lock(t2, names, {}, &holder));
}

// The coordinator forwards a participant's ops as the client sent them instead of
// re-encoding its decoded copy: that is only the same message if decoding and encoding
// again gives back exactly what the client wrote, key order included.
TEST(Ops, WhatTheClientWritesSurvivesDecodingAndEncodingUnchanged) {
  Json ops = Json::array();
  ops.push_back(json_object("op", "add", "account", "a12", "amount", -30));
  ops.push_back(json_object("op", "read_all"));
  ops.push_back(json_object("op", "double", "value", 7));
  Json again = ops_to_json(ops_from_json(ops));
  EXPECT_EQ(again.dump(), ops.dump());
  EXPECT_TRUE(ops_write(ops_from_json(ops)));
  EXPECT_FALSE(ops_write(ops_from_json(Json::array({json_object("op", "read_all")}))));
}

}  // namespace
}  // namespace dsim::twopc
