#include "protocols/2pc/bank.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace dsim::twopc {

Json ops_to_json(OpList ops) { return Json(ops_array(ops)); }

std::vector<Op> ops_from_json(const Json& j) {
  std::vector<Op> ops;
  for (const Json& o : j) {
    Op op;
    const std::string& kind = o.at("op").get_ref<const std::string&>();
    if (kind == "add") {
      op.kind = Op::Kind::kAdd;
      const std::string& name = o.at("account").get_ref<const std::string&>();
      const int64_t number = AccountLayout::number_of(name);
      if (number < 0) throw std::invalid_argument("ops_from_json: no account name: \"" + name + "\"");
      op.account = static_cast<uint32_t>(number);
      op.amount = o.at("amount").get<int64_t>();
    } else if (kind == "read_all") {
      op.kind = Op::Kind::kReadAll;
    } else {
      op.kind = Op::Kind::kDouble;
      op.value = o.at("value").get<int64_t>();
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

bool ops_write(OpList ops) {
  return std::any_of(ops.begin(), ops.end(), [](const Op& o) { return o.kind == Op::Kind::kAdd; });
}

AccountLayout::AccountLayout(int64_t accounts, std::vector<NodeId> participants)
    : accounts_(accounts), participants_(std::move(participants)) {
  accounts_by_participant_.resize(participants_.size());
  numbers_by_participant_.resize(participants_.size());
  for (int64_t i = 0; i < accounts_ && !participants_.empty(); ++i) {
    size_t home = static_cast<size_t>(i) % participants_.size();
    accounts_by_participant_[home].push_back(account_name(i));
    numbers_by_participant_[home].push_back(static_cast<uint32_t>(i));
  }
}

int64_t AccountLayout::number_of(std::string_view account) {
  if (account.size() < 2 || account[0] != 'a') return -1;
  int64_t i = 0;
  for (size_t k = 1; k < account.size(); ++k) {
    if (account[k] < '0' || account[k] > '9' || k > 12) return -1;
    i = i * 10 + (account[k] - '0');
  }
  // "a<i>" has no leading zero: that (with digits only) is account == account_name(i),
  // checked without building the name.
  if (i > UINT32_MAX || (account.size() > 2 && account[1] == '0')) return -1;
  return i;
}

int64_t AccountLayout::index_of(std::string_view account) const {
  if (participants_.empty()) return -1;
  int64_t i = number_of(account);
  return i < accounts_ ? i : -1;
}

NodeId AccountLayout::home_of(const std::string& account) const {
  int64_t i = index_of(account);
  return i < 0 ? kNoNode : participants_[static_cast<size_t>(i) % participants_.size()];
}

const std::vector<std::string>& AccountLayout::accounts_of(NodeId participant) const {
  static const std::vector<std::string> kNone;
  auto it = std::find(participants_.begin(), participants_.end(), participant);
  if (it == participants_.end()) return kNone;
  return accounts_by_participant_[static_cast<size_t>(it - participants_.begin())];
}

const std::vector<uint32_t>& AccountLayout::numbers_of(NodeId participant) const {
  static const std::vector<uint32_t> kNone;
  auto it = std::find(participants_.begin(), participants_.end(), participant);
  if (it == participants_.end()) return kNone;
  return numbers_by_participant_[static_cast<size_t>(it - participants_.begin())];
}

LockTable::LockTable(std::vector<std::string> accounts) {
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  locks_.resize(accounts.size());
  for (size_t k = 0; k < accounts.size(); ++k) locks_[k].account = std::move(accounts[k]);
}

int64_t LockTable::entry_of(std::string_view account) const {
  auto it = std::lower_bound(locks_.begin(), locks_.end(), account,
                             [](const Entry& e, std::string_view a) { return e.account < a; });
  if (it == locks_.end() || it->account != account) return -1;
  return it - locks_.begin();
}

bool LockTable::try_lock(const TxId& tx, const std::vector<uint32_t>& exclusive,
                         const std::vector<uint32_t>& shared, TxId* holder) {
  for (uint32_t k : exclusive) {
    const Entry& e = locks_[k];
    if (!e.writer.empty() && e.writer != tx) {
      *holder = e.writer;
      return false;
    }
    for (const TxId& r : e.readers) {
      if (r != tx) {
        *holder = r;
        return false;
      }
    }
  }
  for (uint32_t k : shared) {
    const Entry& e = locks_[k];
    if (!e.writer.empty() && e.writer != tx) {
      *holder = e.writer;
      return false;
    }
  }
  for (uint32_t k : exclusive) locks_[k].writer = tx;
  for (uint32_t k : shared) {
    std::vector<TxId>& readers = locks_[k].readers;
    auto at = std::lower_bound(readers.begin(), readers.end(), tx, TxId::by_text{});
    if (at == readers.end() || TxId::text_less(tx, *at)) readers.insert(at, tx);
  }
  return true;
}

void LockTable::release(const TxId& tx, const std::vector<uint32_t>& entries) {
  for (uint32_t k : entries) {
    Entry& e = locks_[k];
    if (e.writer == tx) e.writer = TxId{};
    auto it = std::find(e.readers.begin(), e.readers.end(), tx);
    if (it != e.readers.end()) e.readers.erase(it);
  }
}

bool LockTable::holds_any(const TxId& tx) const {
  return std::any_of(locks_.begin(), locks_.end(), [&](const Entry& e) { return e.held_by(tx); });
}

bool LockTable::holds_any(std::string_view tx_text) const {
  for (const Entry& e : locks_) {
    if (e.free()) continue;
    if (e.writer.str() == tx_text) return true;
    for (const TxId& r : e.readers) {
      if (r.str() == tx_text) return true;
    }
  }
  return false;
}

std::vector<std::string> LockTable::held_by(const TxId& tx) const {
  std::vector<std::string> out;
  for (const Entry& e : locks_) {
    if (e.held_by(tx)) out.push_back(e.account);
  }
  return out;
}

}  // namespace dsim::twopc
