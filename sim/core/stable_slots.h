// A growable table of slots whose addresses never move: it grows by whole chunks, so a
// reference to a slot stays valid while more slots are taken (a process may send while
// the simulator still holds the message it is handling). Growing never copies, and the
// table never holds more than one chunk beyond its peak use. Freed slots are reused last
// in, first out, so the slot taken next is the one still in cache.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace dsim {

template <typename T>
class StableSlots {
 public:
  uint32_t take() {
    if (!free_.empty()) {
      uint32_t slot = free_.back();
      free_.pop_back();
      return slot;
    }
    if (used_ == chunks_.size() * kChunkSlots) {
      // Default-initialised, not zeroed: a slot is written whole when it is taken.
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunkSlots));
    }
    return used_++;
  }
  // The slot's contents stay as they are until it is taken again.
  void give_back(uint32_t slot) { free_.push_back(slot); }

  // Bytes of the slots allocated so far (the peak use, rounded up to a chunk).
  size_t bytes_held() const {
    return chunks_.size() * kChunkSlots * sizeof(T) + free_.capacity() * sizeof(uint32_t);
  }
  T& operator[](uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunkSlots - 1)]; }
  const T& operator[](uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & (kChunkSlots - 1)];
  }

 private:
  // 256 slots: a short run (most of a sweep's) that keeps a few dozen messages in flight
  // allocates a few KiB, not the 100s of KiB 4096-slot chunks cost it on every run.
  static constexpr uint32_t kChunkBits = 8;
  static constexpr uint32_t kChunkSlots = uint32_t{1} << kChunkBits;

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<uint32_t> free_;
  uint32_t used_ = 0;  // slots ever taken: the next fresh one
};

}  // namespace dsim
