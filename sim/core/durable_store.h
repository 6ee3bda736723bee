// A node's disk. Writes land in a volatile buffer (the page cache) that the node itself
// reads back at once; only sync() makes them durable. A crash throws the buffer away —
// optionally keeping a prefix of it, as an OS that flushed some pages on its own would —
// so "forgot to fsync" bugs show up exactly as they do on real machines.
//
// Two shapes of data: a key-value map (current state) and named append-only logs (WALs).
// A record is either a family's own type (typed: put/append a struct with kName and
// write_fields, read back with get_record / read_records and as<R>(), no JSON made) or,
// in code written before the typed API, a JSON value.
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
#include "core/payload.h"

namespace dsim {

// A record, once written, never changes: the page cache, the pending writes and the disk
// all hold the same one. (Copying each record into each of them was a tenth of a 2PC
// run, most of it spent freeing the copies.)
using StoredRecord = std::shared_ptr<const Payload>;

// The payload of a JSON record.
struct JsonRecord {
  Json value;
  static const PayloadKind& kind();
};
// The JSON of a record written as JSON. Throws std::logic_error for a typed record (read
// those with read_records / get_record).
const Json& json_of(const Payload& record);

// A log as typed code reads it: a read-only sequence of records; record.as<R>() gives the
// family's own type back.
class RecordLog {
 public:
  explicit RecordLog(const std::vector<StoredRecord>& records) : records_(&records) {}
  size_t size() const { return records_->size(); }
  bool empty() const { return records_->empty(); }
  const Payload& operator[](size_t i) const { return *(*records_)[i]; }
  const Payload& back() const { return *records_->back(); }
  class iterator {
   public:
    explicit iterator(std::vector<StoredRecord>::const_iterator it) : it_(it) {}
    const Payload& operator*() const { return **it_; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    std::vector<StoredRecord>::const_iterator it_;
  };
  iterator begin() const { return iterator(records_->begin()); }
  iterator end() const { return iterator(records_->end()); }

 private:
  const std::vector<StoredRecord>* records_;
};

// A log as older code reads it: a read-only sequence of Json records (each written as
// JSON; a typed record throws std::logic_error when read this way).
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
    const Json& operator*() const { return json_of(**it_); }
    const Json* operator->() const { return &json_of(**it_); }
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
  const Json& operator[](size_t i) const { return json_of(*(*records_)[i]); }
  const Json& back() const { return json_of(*records_->back()); }

 private:
  const std::vector<StoredRecord>* records_;
};

class DurableStore {
 public:
  // Typed records: R has kName and write_fields (core/payload.h).
  template <PayloadType R>
  void put(const std::string& key, R value) {
    write(Write::Kind::kPut, key, std::make_shared<const Payload>(std::move(value)));
  }
  template <PayloadType R>
  void append(const std::string& log, R record) {
    write(Write::Kind::kAppend, log, std::make_shared<const Payload>(std::move(record)));
  }
  // The record under `key`, or null. Valid until the next write or crash.
  const Payload* get_record(const std::string& key) const;
  // REQUIRES nothing: an unknown log reads as empty. Valid until the next write or crash.
  RecordLog read_records(const std::string& log) const;

  // JSON records (older code).
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
  void write(Write::Kind kind, const std::string& name, StoredRecord value);
  static StoredRecord json_record(Json value);
  const std::vector<StoredRecord>& log_records(const std::string& log) const;

  State visible_;  // what the running process sees
  State durable_;  // what survives a crash
  std::vector<Write> pending_;
  uint64_t sync_count_ = 0;
  uint64_t write_count_ = 0;
};

}  // namespace dsim
