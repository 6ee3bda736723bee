// The bank the transactions run against: accounts spread over the participants, the
// operations a transaction asks of one participant, and the lock table that keeps a
// transaction's accounts to itself until its outcome is known.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <span>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/field_writer.h"
#include "core/ids.h"
#include "core/json.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

struct Op;
// A participant's ops, seen where they are kept (a transaction's plan, tx_plan.h).
using OpList = std::span<const Op>;

// One operation at one participant. Plain data (24 bytes): a request's ops are copied into
// its plan and read at every participant step, so an op names its account by number.
struct Op {
  enum class Kind : uint32_t { kAdd, kReadAll, kDouble } kind = Kind::kAdd;
  uint32_t account = 0;  // kAdd: account "a<account>" (AccountLayout::account_name)
  int64_t amount = 0;    // kAdd: negative is a debit
  int64_t value = 0;     // kDouble: the seed document's example doubles a value
};
static_assert(sizeof(Op) == 24 && std::is_trivially_copyable_v<Op>);

// An account's name, "a<number>", written into `buf` (room for 24 chars); returns its view.
inline std::string_view account_name_in(uint64_t number, char (&buf)[24]) {
  buf[0] = 'a';
  auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, number);
  return std::string_view(buf, static_cast<size_t>(end - buf));
}

// The ops as a JSON array, [{"op":"add","account","amount"} | {"op":"read_all"} |
// {"op":"double","value"}], written in place into a Json or a trace line
// (core/field_writer.h's array_of). Valid while `ops` is.
inline auto ops_array(OpList ops) {
  return array_of([ops](auto& array) {  // (a span: by value)
    for (const Op& op : ops) {
      array.push_back(object_of([&op](auto& o) {
        switch (op.kind) {
          case Op::Kind::kAdd: {
            o["op"] = "add";
            char name[24];
            o["account"] = account_name_in(op.account, name);
            o["amount"] = op.amount;
            break;
          }
          case Op::Kind::kReadAll:
            o["op"] = "read_all";
            break;
          case Op::Kind::kDouble:
            o["op"] = "double";
            o["value"] = op.value;
            break;
        }
      }));
    }
  });
}
Json ops_to_json(OpList ops);
// REQUIRES: `j` came from ops_to_json. Throws std::invalid_argument for an account
// whose name is not "a<number>" (AccountLayout::number_of).
std::vector<Op> ops_from_json(const Json& j);
bool ops_write(OpList ops);

// Account "a<i>" lives on the (i mod P)-th participant, participants in id order.
class AccountLayout {
 public:
  AccountLayout() = default;
  // REQUIRES: accounts < 2^32 (an account's number is 32 bits; settings allow 10^6).
  AccountLayout(int64_t accounts, std::vector<NodeId> participants);

  static std::string account_name(int64_t i) { return "a" + std::to_string(i); }
  // i for a name account_name(i) gives ("a<i>", no leading zero, i < 2^32), whatever the
  // layout; -1 for any other name.
  static int64_t number_of(std::string_view account);
  int64_t accounts() const { return accounts_; }
  // kNoNode for an unknown account.
  NodeId home_of(const std::string& account) const;
  // i for "a<i>" (no leading zeros, i < accounts()); -1 for any other name.
  int64_t index_of(std::string_view account) const;
  // In account order; empty for a node that is not a participant.
  const std::vector<std::string>& accounts_of(NodeId participant) const;
  // The same accounts by number (accounts_of(p)[k] is account_name(numbers_of(p)[k])).
  const std::vector<uint32_t>& numbers_of(NodeId participant) const;
  const std::vector<NodeId>& participants() const { return participants_; }

 private:
  int64_t accounts_ = 0;
  std::vector<NodeId> participants_;
  // [k]: the accounts of participants_[k], by name (for the participants' balances, locks
  // and opening records) and by number (every random transfer draws one from these).
  std::vector<std::vector<std::string>> accounts_by_participant_;
  std::vector<std::vector<uint32_t>> numbers_by_participant_;
};

// Strict two-phase locking without waiting: a request that conflicts fails at once, so
// a blocked transaction shows up as other transactions aborting, never as a deadlock.
//
// The table is made for one participant's accounts, which never change: an entry per
// account, numbered by the account's place in name order (so a list of entry numbers,
// sorted, is in name order). Requests and releases name entries by number, so taking and
// releasing locks neither builds nor compares a name, and allocates nothing once each
// entry has had its most readers. There is one way in (try_lock): the participant turns
// ops into entry numbers in one place, for execution and for the relock after recovery
// alike (ParticipantBase::lock_request).
class LockTable {
 public:
  LockTable() = default;
  // An entry per account (a repeated name counts once).
  explicit LockTable(std::vector<std::string> accounts);

  size_t entries() const { return locks_.size(); }
  // The entry number of `account`, or -1 when it has none.
  int64_t entry_of(std::string_view account) const;
  // REQUIRES: entry < entries().
  const std::string& account(uint32_t entry) const { return locks_[entry].account; }

  // Takes all the locks or none: `exclusive` (to write) and `shared` (to read) are entry
  // numbers, each < entries(), no number in both. On conflict returns false and names one
  // holder: the first one found going through `exclusive`, then `shared`, in the order
  // given (of an entry's readers, the first by the id's text).
  bool try_lock(const TxId& tx, const std::vector<uint32_t>& exclusive,
                const std::vector<uint32_t>& shared, TxId* holder);
  // Drops what `tx` holds of `entries` (the ones it was granted: the cost is theirs, not
  // the table's). Entries it does not hold are left alone.
  void release(const TxId& tx, const std::vector<uint32_t>& entries);

  bool holds_any(const TxId& tx) const;
  // For tests: by the id's text.
  bool holds_any(std::string_view tx_text) const;
  // For tests: the accounts `tx` holds, in name order.
  std::vector<std::string> held_by(const TxId& tx) const;

 private:
  struct Entry {
    std::string account;
    TxId writer;                  // empty: none
    std::vector<TxId> readers;    // in text order (TxId::by_text): the first is named as holder
    bool free() const { return writer.empty() && readers.empty(); }
    bool held_by(const TxId& tx) const {
      if (free()) return false;
      return writer == tx || std::find(readers.begin(), readers.end(), tx) != readers.end();
    }
  };
  std::vector<Entry> locks_;  // by account name
};

}  // namespace dsim::twopc
