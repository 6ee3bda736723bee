#include "protocols/2pc/bank.h"

#include <algorithm>

namespace dsim::twopc {

Json ops_to_json(const std::vector<Op>& ops) { return Json(ops_array(ops)); }

std::vector<Op> ops_from_json(const Json& j) {
  std::vector<Op> ops;
  for (const Json& o : j) {
    Op op;
    const std::string& kind = o.at("op").get_ref<const std::string&>();
    if (kind == "add") {
      op.kind = Op::Kind::kAdd;
      op.account = o.at("account").get<std::string>();
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

bool ops_write(const std::vector<Op>& ops) {
  return std::any_of(ops.begin(), ops.end(), [](const Op& o) { return o.kind == Op::Kind::kAdd; });
}

AccountLayout::AccountLayout(int64_t accounts, std::vector<NodeId> participants)
    : accounts_(accounts), participants_(std::move(participants)) {
  accounts_by_participant_.resize(participants_.size());
  for (int64_t i = 0; i < accounts_ && !participants_.empty(); ++i) {
    size_t home = static_cast<size_t>(i) % participants_.size();
    accounts_by_participant_[home].push_back(account_name(i));
  }
}

int64_t AccountLayout::index_of(std::string_view account) const {
  if (account.size() < 2 || account[0] != 'a' || participants_.empty()) return -1;
  int64_t i = 0;
  for (size_t k = 1; k < account.size(); ++k) {
    if (account[k] < '0' || account[k] > '9' || k > 12) return -1;
    i = i * 10 + (account[k] - '0');
  }
  if (i >= accounts_ || account != account_name(i)) return -1;
  return i;
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

bool LockTable::try_lock(const TxId& tx, const std::vector<std::string>& exclusive,
                         const std::vector<std::string>& shared, TxId* holder) {
  for (const std::string& a : exclusive) {
    auto it = locks_.find(a);
    if (it == locks_.end()) continue;
    const Entry& e = it->second;
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
  for (const std::string& a : shared) {
    auto it = locks_.find(a);
    if (it != locks_.end() && !it->second.writer.empty() && it->second.writer != tx) {
      *holder = it->second.writer;
      return false;
    }
  }
  for (const std::string& a : exclusive) locks_[a].writer = tx;
  for (const std::string& a : shared) locks_[a].readers.insert(tx);
  return true;
}

void LockTable::release(const TxId& tx) {
  for (auto it = locks_.begin(); it != locks_.end();) {
    Entry& e = it->second;
    if (e.writer == tx) e.writer = TxId{};
    e.readers.erase(tx);
    if (e.writer.empty() && e.readers.empty()) {
      it = locks_.erase(it);
    } else {
      ++it;
    }
  }
}

bool LockTable::holds_any(const TxId& tx) const {
  for (const auto& [account, e] : locks_) {
    if (e.writer == tx || e.readers.count(tx) != 0) return true;
  }
  return false;
}

bool LockTable::holds_any(std::string_view tx_text) const {
  for (const auto& [account, e] : locks_) {
    if (e.writer.str() == tx_text) return true;
    for (const TxId& r : e.readers) {
      if (r.str() == tx_text) return true;
    }
  }
  return false;
}

std::vector<std::string> LockTable::held_by(const TxId& tx) const {
  std::vector<std::string> out;
  for (const auto& [account, e] : locks_) {
    if (e.writer == tx || e.readers.count(tx) != 0) out.push_back(account);
  }
  return out;
}

void lock_sets(const std::vector<Op>& ops, const std::vector<std::string>& local_accounts,
               std::vector<std::string>& exclusive, std::vector<std::string>& shared) {
  exclusive.clear();
  shared.clear();
  for (const Op& op : ops) {
    if (op.kind == Op::Kind::kAdd) exclusive.push_back(op.account);
    if (op.kind == Op::Kind::kReadAll) shared = local_accounts;
  }
  std::sort(exclusive.begin(), exclusive.end());
  exclusive.erase(std::unique(exclusive.begin(), exclusive.end()), exclusive.end());
  // A lock held exclusively covers reading too.
  std::erase_if(shared, [&](const std::string& a) {
    return std::binary_search(exclusive.begin(), exclusive.end(), a);
  });
}

}  // namespace dsim::twopc
