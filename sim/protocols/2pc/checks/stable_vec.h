// A list that only grows and whose items never move (a pointer or reference to one stays
// good while the list lives): kept in chunks of kChunk items, one heap block per chunk.
// std::deque also never moves its items, but its blocks hold 512 bytes: one ledger record
// (~400 bytes) per block, one malloc per transaction.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace dsim::twopc {

template <typename T, size_t kChunk>
class StableVec {
 public:
  StableVec() = default;
  StableVec(const StableVec&) = delete;
  StableVec& operator=(const StableVec&) = delete;
  ~StableVec() {
    for (size_t i = 0; i < size_; ++i) at(i).~T();
  }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::unique_ptr<Chunk>(new Chunk));  // not zeroed
    T* item = ::new (static_cast<void*>(chunks_[size_ / kChunk]->bytes + (size_ % kChunk) * sizeof(T)))
        T(std::forward<Args>(args)...);
    ++size_;
    return *item;
  }

  T& operator[](size_t i) { return at(i); }
  const T& operator[](size_t i) const { return const_cast<StableVec*>(this)->at(i); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // In the order the items were added.
  template <typename List, typename Item>
  class Iter {
   public:
    Iter(List* list, size_t i) : list_(list), i_(i) {}
    Item& operator*() const { return (*list_)[i_]; }
    Item* operator->() const { return &(*list_)[i_]; }
    Iter& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iter& o) const { return i_ == o.i_; }
    bool operator!=(const Iter& o) const { return i_ != o.i_; }

   private:
    List* list_;
    size_t i_;
  };
  using iterator = Iter<StableVec, T>;
  using const_iterator = Iter<const StableVec, const T>;
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  struct Chunk {
    alignas(T) std::byte bytes[kChunk * sizeof(T)];
  };
  T& at(size_t i) {
    return *std::launder(reinterpret_cast<T*>(chunks_[i / kChunk]->bytes + (i % kChunk) * sizeof(T)));
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace dsim::twopc
