// A vector that keeps up to N items in place and moves them to the heap only past N. The
// roles and the checks keep a few lists per transaction (its participants, their votes,
// each participant's side, the branches' holds): a transaction has a handful of
// participants, so one heap block per list and per transaction was most of what the
// checks allocated and freed. Sorted maps and sets by node build on it (node_map.h).
//
// REQUIRES: T is small, default-constructible and cheap to copy (ids, times, plain
// structs): the N places always hold a T each, and items are copied, not moved.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace dsim::twopc {

template <typename T, size_t N>
class SmallVec {
 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVec() : inline_() {}

  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  T& back() { return data()[size_ - 1]; }

  void clear() {
    size_ = 0;
    heap_.clear();
  }
  void reserve(size_t n) {
    if (spilled()) heap_.reserve(n);
  }
  T& push_back(const T& value) { return *insert(end(), value); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return push_back(T{std::forward<Args>(args)...});
  }
  // Inserts before `at`; returns where the new item is.
  T* insert(T* at, const T& value) {
    size_t i = static_cast<size_t>(at - data());
    T copy = value;  // `value` may live in this vector
    if (spilled()) {
      heap_.insert(heap_.begin() + static_cast<std::ptrdiff_t>(i), copy);
    } else if (size_ < N) {
      std::copy_backward(inline_ + i, inline_ + size_, inline_ + size_ + 1);
      inline_[i] = copy;
    } else {
      spill(N * 2);
      heap_.insert(heap_.begin() + static_cast<std::ptrdiff_t>(i), copy);
    }
    ++size_;
    return data() + i;
  }
  // Removes the items `pred` holds for, keeping the others' order.
  template <typename Pred>
  void erase_if(Pred pred) {
    T* kept = std::remove_if(begin(), end(), pred);
    size_t n = static_cast<size_t>(kept - data());
    if (spilled()) heap_.resize(n);
    size_ = n;
  }

 private:
  bool spilled() const { return !heap_.empty(); }  // then heap_ holds all size_ items
  T* data() { return spilled() ? heap_.data() : inline_; }
  const T* data() const { return spilled() ? heap_.data() : inline_; }
  void spill(size_t capacity) {  // REQUIRES: size_ == N > 0
    heap_.reserve(capacity);
    heap_.assign(inline_, inline_ + size_);
  }

  size_t size_ = 0;
  T inline_[N];
  std::vector<T> heap_;  // all the items once there were more than N (until none is left)
};

}  // namespace dsim::twopc
