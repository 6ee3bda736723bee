// The bank the transactions run against: accounts spread over the participants, the
// operations a transaction asks of one participant, and the lock table that keeps a
// transaction's accounts to itself until its outcome is known.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_writer.h"
#include "core/ids.h"
#include "core/json.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

// One operation at one participant.
struct Op {
  enum class Kind { kAdd, kReadAll, kDouble } kind = Kind::kAdd;
  std::string account;  // kAdd
  int64_t amount = 0;   // kAdd: negative is a debit
  int64_t value = 0;    // kDouble: the seed document's example doubles a value
};

// The ops as a JSON array, [{"op":"add","account","amount"} | {"op":"read_all"} |
// {"op":"double","value"}], written in place into a Json or a trace line
// (core/field_writer.h's array_of). Valid while `ops` is.
inline auto ops_array(const std::vector<Op>& ops) {
  return array_of([&ops](auto& array) {
    for (const Op& op : ops) {
      array.push_back(object_of([&op](auto& o) {
        switch (op.kind) {
          case Op::Kind::kAdd:
            o["op"] = "add";
            o["account"] = op.account;
            o["amount"] = op.amount;
            break;
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
Json ops_to_json(const std::vector<Op>& ops);
// REQUIRES: `j` came from ops_to_json.
std::vector<Op> ops_from_json(const Json& j);
bool ops_write(const std::vector<Op>& ops);

// Account "a<i>" lives on the (i mod P)-th participant, participants in id order.
class AccountLayout {
 public:
  AccountLayout() = default;
  AccountLayout(int64_t accounts, std::vector<NodeId> participants);

  static std::string account_name(int64_t i) { return "a" + std::to_string(i); }
  int64_t accounts() const { return accounts_; }
  // kNoNode for an unknown account.
  NodeId home_of(const std::string& account) const;
  // i for "a<i>" (no leading zeros, i < accounts()); -1 for any other name.
  int64_t index_of(std::string_view account) const;
  // In account order; empty for a node that is not a participant.
  const std::vector<std::string>& accounts_of(NodeId participant) const;
  const std::vector<NodeId>& participants() const { return participants_; }

 private:
  int64_t accounts_ = 0;
  std::vector<NodeId> participants_;
  // accounts_by_participant_[k]: the accounts of participants_[k], named once here
  // because every random transfer draws from them.
  std::vector<std::vector<std::string>> accounts_by_participant_;
};

// Strict two-phase locking without waiting: a request that conflicts fails at once, so
// a blocked transaction shows up as other transactions aborting, never as a deadlock.
//
// The locks are a vector sorted by account name (a participant has a few accounts), and
// an account's entry stays when its last lock goes, to be reused: taking and releasing
// locks allocates nothing once every account has been locked once. A participant names
// its own accounts up front (add_accounts), and then asks by entry number (the account's
// place in name order), so the hot path neither builds nor compares a name.
class LockTable {
 public:
  // Gives each of `accounts` an entry (if it has none yet). Entry numbers are places in
  // name order, so adding an account renumbers those after it: add every account before
  // taking numbers (entry_of).
  void add_accounts(const std::vector<std::string>& accounts);
  // The entry number of `account`, or -1 when it has no entry.
  int64_t entry_of(std::string_view account) const;
  // Takes all the locks or none. On conflict returns false and names one holder: the
  // first one found going through `exclusive`, then `shared`, in the order given.
  bool try_lock(const TxId& tx, const std::vector<std::string>& exclusive,
                const std::vector<std::string>& shared, TxId* holder);
  // The same by entry number (entry_of); `exclusive` sorted (name order), no repeats.
  bool try_lock_entries(const TxId& tx, const std::vector<uint32_t>& exclusive,
                        const std::vector<uint32_t>& shared, TxId* holder);
  void release(const TxId& tx);
  bool holds_any(const TxId& tx) const;
  // For tests: by the id's text.
  bool holds_any(std::string_view tx_text) const;
  // Accounts `tx` holds, sorted.
  std::vector<std::string> held_by(const TxId& tx) const;
  // The same into `out` (cleared first), to reuse its memory.
  void held_by(const TxId& tx, std::vector<std::string>& out) const;

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
  Entry& get_or_add(const std::string& account);
  std::vector<Entry> locks_;  // by account name
  std::vector<uint32_t> exclusive_scratch_, shared_scratch_;  // try_lock's by-name requests
};

// The accounts each op list needs, exclusive (written) and shared (read).
void lock_sets(const std::vector<Op>& ops, const std::vector<std::string>& local_accounts,
               std::vector<std::string>& exclusive, std::vector<std::string>& shared);

}  // namespace dsim::twopc
