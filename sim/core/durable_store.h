// A node's disk. Writes land in a volatile buffer (the page cache) that the node itself
// reads back at once; only sync() makes them durable. A crash throws the buffer away —
// optionally keeping a prefix of it, as an OS that flushed some pages on its own would —
// so "forgot to fsync" bugs show up exactly as they do on real machines.
//
// Two shapes of data: a key-value map (current state) and named append-only logs (WALs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim {

// A record, once written, never changes: the page cache, the pending writes and the disk
// all hold the same one. (Copying each record into each of them was a tenth of a 2PC
// run, most of it spent freeing the copies.)
using StoredRecord = std::shared_ptr<const Json>;

// A log as the process reads it: a read-only sequence of Json records.
class LogView {
 public:
  class iterator {
   public:
    using value_type = Json;
    using difference_type = std::ptrdiff_t;
    using reference = const Json&;
    using pointer = const Json*;
    using iterator_category = std::forward_iterator_tag;
    iterator() = default;
    explicit iterator(std::vector<StoredRecord>::const_iterator it) : it_(it) {}
    const Json& operator*() const { return **it_; }
    const Json* operator->() const { return it_->get(); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++it_;
      return old;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    std::vector<StoredRecord>::const_iterator it_;
  };

  explicit LogView(const std::vector<StoredRecord>& records) : records_(&records) {}
  iterator begin() const { return iterator(records_->begin()); }
  iterator end() const { return iterator(records_->end()); }
  size_t size() const { return records_->size(); }
  bool empty() const { return records_->empty(); }
  const Json& operator[](size_t i) const { return *(*records_)[i]; }
  const Json& back() const { return *records_->back(); }

 private:
  const std::vector<StoredRecord>* records_;
};

class DurableStore {
 public:
  void put(const std::string& key, Json value);
  void erase(const std::string& key);
  std::optional<Json> get(const std::string& key) const;
  void append(const std::string& log, Json record);
  // REQUIRES nothing: an unknown log reads as empty. Valid until the next write or crash.
  LogView read_log(const std::string& log) const;
  // Makes every write so far durable. Counted: a forced write in protocol terms.
  void sync();

  // The crash: the visible state falls back to the durable state plus the first
  // `keep_unsynced` pending writes (in write order). Returns how many writes were lost.
  size_t crash(size_t keep_unsynced = 0);

  size_t unsynced_writes() const { return pending_.size(); }
  uint64_t sync_count() const { return sync_count_; }
  uint64_t write_count() const { return write_count_; }

 private:
  struct State {
    std::map<std::string, StoredRecord> kv;
    std::map<std::string, std::vector<StoredRecord>> logs;
  };
  struct Write {
    enum class Kind { kPut, kErase, kAppend } kind;
    std::string name;
    StoredRecord value;
  };
  static void apply(State& s, const Write& w);
  void write(Write::Kind kind, const std::string& name, Json value);

  State visible_;  // what the running process sees
  State durable_;  // what survives a crash
  std::vector<Write> pending_;
  uint64_t sync_count_ = 0;
  uint64_t write_count_ = 0;
};

}  // namespace dsim
