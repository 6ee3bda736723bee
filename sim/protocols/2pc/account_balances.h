// One participant's balances, by account: a vector slot per account it holds (found from
// the account's number, AccountLayout::index_of), so a lookup neither builds nor compares
// strings. Any other name (only a record read back without its checksum can bring one)
// goes to a side map, so the set of names known is exactly what a std::map would hold.
// The trace and the log see the balances as that map (as_map: by account name, text order).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "protocols/2pc/bank.h"

namespace dsim::twopc {

class AccountBalances {
 public:
  // Forgets every balance; `self`'s accounts (in `layout`) get slots.
  void reset(const AccountLayout& layout, NodeId self) {
    layout_ = &layout;
    self_ = self;
    size_t mine = layout.accounts_of(self).size();
    value_.assign(mine, 0);
    known_.assign(mine, false);
    other_.clear();
  }
  // The balance, made 0 first when unknown (as std::map::operator[]).
  int64_t& operator[](std::string_view account) {
    int64_t k = slot(account);
    if (k < 0) return other_[std::string(account)];
    known_[static_cast<size_t>(k)] = true;
    return value_[static_cast<size_t>(k)];
  }
  // The same for account a<number> (what operator[] gives for its name, without the name).
  int64_t& of_number(uint32_t number) {
    int64_t k = slot_of_number(number);
    if (k < 0) return other_[AccountLayout::account_name(number)];
    known_[static_cast<size_t>(k)] = true;
    return value_[static_cast<size_t>(k)];
  }
  // The same for self's k-th account (AccountLayout::accounts_of(self)[k]).
  int64_t& at_slot(size_t k) {
    known_[k] = true;
    return value_[k];
  }
  // 0 when unknown.
  int64_t get(std::string_view account) const {
    int64_t k = slot(account);
    if (k < 0) {
      auto it = other_.find(std::string(account));
      return it == other_.end() ? 0 : it->second;
    }
    return known_[static_cast<size_t>(k)] ? value_[static_cast<size_t>(k)] : 0;
  }
  // Replaces every balance with `balances` (a log's open record).
  void assign(const std::map<std::string, int64_t>& balances) {
    known_.assign(known_.size(), false);
    other_.clear();
    for (const auto& [account, value] : balances) (*this)[account] = value;
  }
  std::map<std::string, int64_t> as_map() const {
    std::map<std::string, int64_t> out = other_;
    const std::vector<std::string>& names = layout_->accounts_of(self_);
    for (size_t k = 0; k < value_.size(); ++k) {
      if (known_[k]) out[names[k]] = value_[k];
    }
    return out;
  }

 private:
  // The account's slot, or -1 when it is not one of self's.
  int64_t slot(std::string_view account) const {
    if (layout_ == nullptr) return -1;  // before reset: every name is an "other" one
    int64_t i = layout_->index_of(account);
    return i < 0 ? -1 : slot_of_number(static_cast<uint64_t>(i));
  }
  int64_t slot_of_number(uint64_t number) const {
    if (layout_ == nullptr || layout_->participants().empty() ||
        number >= static_cast<uint64_t>(layout_->accounts())) {
      return -1;
    }
    const int64_t i = static_cast<int64_t>(number);
    size_t p = layout_->participants().size();
    if (layout_->participants()[static_cast<size_t>(i) % p] != self_) return -1;
    return i / static_cast<int64_t>(p);
  }

  const AccountLayout* layout_ = nullptr;
  NodeId self_ = kNoNode;
  std::vector<int64_t> value_;
  std::vector<bool> known_;
  std::map<std::string, int64_t> other_;
};

}  // namespace dsim::twopc
