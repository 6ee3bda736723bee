// A growable run of bytes that text is appended to through a raw cursor: the JSON writers
// (core/json_write.h, core/field_writer.h) and the trace writer build lines in one.
//
// Why not std::string: a std::string cannot be written past its size, so every piece of a
// line (a key, a quote, a number) was its own call that checked the capacity, copied and
// stored the new size and terminator; that was a fifth of writing a trace line. Here a
// writer asks once for room for a whole token (room(n)), stores its bytes through the
// pointer it gets, and says where the text now ends (end_at).
//
// Memory: one block, doubled when too small (the used bytes copied once per doubling),
// never shrunk; bytes past size() are not initialised.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace dsim {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  // A moved-from buffer is empty (and may be used again).
  TextBuffer(TextBuffer&& other) noexcept { *this = std::move(other); }
  TextBuffer& operator=(TextBuffer&& other) noexcept {
    storage_ = std::move(other.storage_);
    begin_ = std::exchange(other.begin_, nullptr);
    end_ = std::exchange(other.end_, nullptr);
    limit_ = std::exchange(other.limit_, nullptr);
    return *this;
  }

  size_t size() const { return static_cast<size_t>(end_ - begin_); }
  bool empty() const { return end_ == begin_; }
  size_t capacity() const { return static_cast<size_t>(limit_ - begin_); }
  // Not NUL-terminated. Valid until the next call that may grow the buffer.
  const char* data() const { return begin_; }
  std::string_view view() const { return std::string_view(begin_, size()); }
  // The text from byte `from` on. REQUIRES: from <= size().
  std::string_view view(size_t from) const {
    return std::string_view(begin_ + from, size() - from);
  }
  std::string str() const { return std::string(view()); }

  void clear() { end_ = begin_; }
  // Drops the bytes from `size` on. REQUIRES: size <= size().
  void truncate(size_t size) { end_ = begin_ + size; }
  // Makes room for `bytes` in all without growing again.
  void reserve(size_t bytes) {
    if (capacity() < bytes) grow_to(bytes);
  }

  // A cursor at the end of the text with room for `n` bytes. Nothing written there counts
  // until end_at() says where the text ends. Pointers into the buffer (data(), view())
  // are invalid after it.
  char* room(size_t n) {
    if (static_cast<size_t>(limit_ - end_) < n) grow(n);
    return end_;
  }
  // Ends the text at `cursor`: a pointer room() returned, advanced by at most the room
  // asked for.
  void end_at(char* cursor) { end_ = cursor; }

  void push_back(char c) {
    char* p = room(1);
    *p = c;
    end_ = p + 1;
  }
  // `text` may lie in this buffer (a line copied within it): it is found again after a
  // growth.
  void append(const char* text, size_t n) {
    if (static_cast<size_t>(limit_ - end_) < n) {
      const bool inside = text >= begin_ && text < end_;
      const size_t offset = inside ? static_cast<size_t>(text - begin_) : 0;
      grow(n);
      if (inside) text = begin_ + offset;
    }
    if (n != 0) std::memcpy(end_, text, n);  // text may be null when n is 0
    end_ += n;
  }
  void append(std::string_view text) { append(text.data(), text.size()); }
  TextBuffer& operator+=(std::string_view text) {
    append(text);
    return *this;
  }

 private:
  // Room for n more bytes: at least double the block.
  [[gnu::noinline]] void grow(size_t n) {
    grow_to(std::max({capacity() * 2, size() + n, size_t{256}}));
  }
  void grow_to(size_t capacity) {
    const size_t used = size();
    auto block = std::make_unique_for_overwrite<char[]>(capacity);
    if (used != 0) std::memcpy(block.get(), begin_, used);
    storage_ = std::move(block);
    begin_ = storage_.get();
    end_ = begin_ + used;
    limit_ = begin_ + capacity;
  }

  std::unique_ptr<char[]> storage_;
  char* begin_ = nullptr;
  char* end_ = nullptr;
  char* limit_ = nullptr;
};

}  // namespace dsim
