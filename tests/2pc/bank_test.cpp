// The bank's account layout: which participant holds which account. The client draws a
// transfer's accounts by number from numbers_of() and sends each op to the account's home;
// a participant takes only ops on its own accounts (by number) and refuses others as "no
// account a<n> here". Names (accounts_of, home_of, index_of) are for the settings' scripted
// transactions and the participants' balances and opening records: both must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
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
  // By number: the same balances as by name, the layout's or not.
  EXPECT_EQ(b.of_number(10), 7);
  b.of_number(4) += 2;
  EXPECT_EQ(b.get("a4"), 2);
  b.of_number(2) += 1;  // another participant's account
  EXPECT_EQ(b.get("a2"), 10);
  b.of_number(40) = 4;  // past the last account
  EXPECT_EQ(b.get("a40"), 4);
  b.assign({{"a4", 3}, {"zz", 2}});
  const std::map<std::string, int64_t> replaced = {{"a4", 3}, {"zz", 2}};
  EXPECT_EQ(b.as_map(), replaced);
}

TEST(AccountLayout, ListsAccountsInAccountOrder) {
  AccountLayout layout(10, {7, 8, 9});
  EXPECT_EQ(layout.accounts_of(7), (std::vector<std::string>{"a0", "a3", "a6", "a9"}));
  EXPECT_EQ(layout.accounts_of(8), (std::vector<std::string>{"a1", "a4", "a7"}));
  EXPECT_EQ(layout.accounts_of(9), (std::vector<std::string>{"a2", "a5", "a8"}));
  // The client draws a transfer's account by number from the same lists.
  EXPECT_EQ(layout.numbers_of(7), (std::vector<uint32_t>{0, 3, 6, 9}));
  EXPECT_EQ(layout.numbers_of(9), (std::vector<uint32_t>{2, 5, 8}));
  EXPECT_TRUE(layout.numbers_of(1).empty());
  for (NodeId p : {7, 8, 9}) {
    const std::vector<uint32_t>& numbers = layout.numbers_of(p);
    ASSERT_EQ(numbers.size(), layout.accounts_of(p).size());
    for (size_t k = 0; k < numbers.size(); ++k) {
      EXPECT_EQ(AccountLayout::account_name(numbers[k]), layout.accounts_of(p)[k]);
      char buf[24];
      EXPECT_EQ(account_name_in(numbers[k], buf), layout.accounts_of(p)[k]);
    }
  }
}

// An op names its account by number; the name, a<number>, is read back whatever the
// layout (number_of), and a name of any other form is none.
TEST(AccountLayout, NumberOfReadsBackEveryNameItGivesAndNoOther) {
  for (int64_t i : {int64_t{0}, int64_t{7}, int64_t{63}, int64_t{100000}, int64_t{UINT32_MAX}}) {
    EXPECT_EQ(AccountLayout::number_of(AccountLayout::account_name(i)), i);
  }
  for (const char* bad : {"a", "a01", "b1", "a-1", "a1x", "a4294967296", "a1000000000000", ""}) {
    EXPECT_EQ(AccountLayout::number_of(bad), -1) << bad;
  }
  char buf[24];
  EXPECT_EQ(account_name_in(UINT32_MAX, buf), "a4294967295");
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

// The lock table numbers its accounts in name order (the Work event lists held accounts
// in that order), also for names that tie on their first 8 bytes or hold a NUL.
TEST(LockTable, NumbersItsAccountsInNameOrder) {
  std::vector<std::string> names = {"a9", "a10", "a1", "account_long_1", "account_long_0", "account_", "b",
                                    std::string("a\0", 2), "a", "a1"};
  LockTable locks(names);
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  ASSERT_EQ(locks.entries(), sorted.size());  // "a1" twice is one entry
  for (uint32_t k = 0; k < sorted.size(); ++k) {
    EXPECT_EQ(locks.account(k), sorted[k]);
    EXPECT_EQ(locks.entry_of(sorted[k]), static_cast<int64_t>(k));
  }
  EXPECT_EQ(locks.entry_of("a2"), -1);
  EXPECT_EQ(locks.entry_of(""), -1);
}

// Exclusive locks exclude everyone else, shared ones only writers; a request takes all
// its locks or none, and names the holder it met first.
TEST(LockTable, TakesAllOrNothingAndNamesTheHolder) {
  LockTable locks({"a0", "a1", "a2", "a3"});
  TxId t1{nullptr, 0, 0, 1}, t2{nullptr, 0, 0, 2}, t3{nullptr, 0, 0, 3}, holder;
  ASSERT_TRUE(locks.try_lock(t1, {0}, {1, 2}, &holder));
  ASSERT_TRUE(locks.try_lock(t2, {3}, {1, 2}, &holder));  // readers share
  EXPECT_EQ(locks.held_by(t1), (std::vector<std::string>{"a0", "a1", "a2"}));
  EXPECT_EQ(locks.held_by(t2), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_FALSE(locks.try_lock(t3, {2}, {}, &holder));  // writing a read account
  EXPECT_EQ(holder, t1) << "the first reader by id";
  EXPECT_FALSE(locks.try_lock(t3, {1}, {3}, &holder));
  EXPECT_EQ(holder, t1) << "exclusive requests are looked at first";
  EXPECT_FALSE(locks.try_lock(t3, {}, {1, 0}, &holder));
  EXPECT_EQ(holder, t1) << "reading a written account";
  EXPECT_FALSE(locks.holds_any(t3)) << "a refused request takes nothing";
  ASSERT_TRUE(locks.try_lock(t1, {0}, {1}, &holder)) << "what it holds does not stop it";
}

// release drops exactly what it is told the transaction holds, and nothing of others'.
TEST(LockTable, ReleaseDropsWhatTheTransactionHolds) {
  LockTable locks({"a0", "a1", "a2", "a3"});
  TxId t1{nullptr, 0, 0, 1}, t2{nullptr, 0, 0, 2}, holder;
  ASSERT_TRUE(locks.try_lock(t1, {0, 3}, {1}, &holder));
  ASSERT_TRUE(locks.try_lock(t2, {2}, {1}, &holder));
  locks.release(t1, {0, 3});
  locks.release(t1, {1, 2});  // a2 is t2's: left alone
  EXPECT_FALSE(locks.holds_any(t1));
  EXPECT_EQ(locks.held_by(t2), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_FALSE(locks.try_lock(t1, {1}, {}, &holder));
  EXPECT_EQ(holder, t2);
  EXPECT_TRUE(locks.try_lock(t1, {0, 3}, {1}, &holder));
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
  EXPECT_EQ(ops_from_json(ops)[0].account, 12u);
  // An op's account is a number: a name that is no a<number> has none.
  EXPECT_THROW(ops_from_json(Json::array({json_object("op", "add", "account", "zz", "amount", 1)})),
               std::invalid_argument);
}

}  // namespace
}  // namespace dsim::twopc
