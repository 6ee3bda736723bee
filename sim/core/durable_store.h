// A node's disk. Writes land in a volatile buffer (the page cache) that the node itself
// reads back at once; only sync() makes them durable. A crash throws the buffer away —
// optionally keeping a prefix of it, as an OS that flushed some pages on its own would —
// so "forgot to fsync" bugs show up exactly as they do on real machines.
//
// Two shapes of data: a key-value map (current state) and named append-only logs (WALs).
// A record is a family's own type: put/append a struct with kName and write_fields
// (core/payload.h), read it back with get_record / read_records and as<R>(); no JSON is
// made (write_fields is for tools that show a disk).
//
// Disk faults (the simulator's disk_fail and disk_slow windows) reach the protocol as a
// DiskStatus, which code written before them may ignore:
//   - put/append/erase return kIoError while writes fail: the write is NOT made, not even
//     in the page cache (reads do not see it, a sync does not make it durable).
//   - sync() returns kIoError while syncs fail: nothing becomes durable; the writes stay
//     pending (visible, lost on a crash) and a later sync may still make them durable.
//     (Linux may instead drop the dirty pages after a failed fsync; dsim keeps them, so a
//     protocol must treat a failed sync as "not durable", never as "gone".)
//   - sync() returns kInProgress on a slow disk (disk_slow) or while syncs hang
//     (disk_fail "hang"): the writes so far become durable when the disk finishes (after
//     the drawn latency; at the end of the hang); a crash before that loses them. To be
//     told when, use Context::sync_async, which fires a timer then; durable(mark) answers
//     "is it durable yet" for a write_mark() taken before the sync.
//   - try_get_record / try_read_records return kIoError while reads fail. The plain reads
//     (get_record, read_records) never fail: read faults reach only code that asks with
//     try_.
// A store without a DiskController (no disk fault ever hit the node) is a healthy disk:
// every call returns kOk.
//
// Torn writes: a crash may leave the first lost write, when it is a log append, on disk
// half written (SimulationConfig::torn_write_probability). The record stays in the log
// flagged torn: RecordLog::torn(i), and as<R>() still gives the fields the writer meant.
// A recovery that checks record checksums asks torn(i) and drops the record (and, as real
// WALs do, what follows it). One without checksums would decode half-written bytes: the
// store cannot know what garbage a family's encoding yields, so a family that models such
// a reader asks torn(i) too and substitutes its own garbage (a field read as zero, a
// decision read as commit); reading the meant fields as if whole is the mild case of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <map>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "core/payload.h"

namespace dsim {

// A record, once written, never changes: the page cache, the pending writes and the disk
// all hold the same one. (Copying each record into each of them was a tenth of a 2PC
// run, most of it spent freeing the copies.) A log's record is held once: see Log below.
using StoredRecord = std::shared_ptr<const Payload>;

// What a disk call reports (see the file comment).
enum class DiskStatus { kOk, kIoError, kInProgress };
const char* to_string(DiskStatus s);

// How the node's disk behaves just now. The simulator installs one on a node's store
// when a disk fault first hits the node; without one the disk is healthy.
class DiskController {
 public:
  virtual ~DiskController() = default;
  virtual bool write_fails() = 0;
  virtual bool read_fails() = 0;
  // A sync of the writes up to mark `through` was asked for. kOk: make them durable now;
  // kIoError: nothing; kInProgress: the controller calls finish_sync(through) later (or
  // never, when the node crashes first).
  virtual DiskStatus begin_sync(uint64_t through) = 0;
};

// A log as the process reads it: a read-only sequence of records; record.as<R>() gives
// the family's own type back.
class RecordLog {
 public:
  explicit RecordLog(const std::vector<StoredRecord>& records,
                     const std::vector<size_t>* torn = nullptr)
      : records_(&records), torn_(torn) {}
  RecordLog() : records_(&empty_records()) {}
  // True when record i survived a crash half written (see the file comment): a reader
  // with checksums drops it; one without reads its fields as if whole.
  bool torn(size_t i) const;
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
  static const std::vector<StoredRecord>& empty_records();
  const std::vector<StoredRecord>* records_;
  const std::vector<size_t>* torn_ = nullptr;  // indices of torn records, ascending
};

class DurableStore {
 public:
  // R has kName and write_fields (core/payload.h). kIoError: not written.
  template <PayloadType R>
  DiskStatus put(std::string_view key, R value) {
    return write(Write::Kind::kPut, key, std::make_shared<const Payload>(std::move(value)));
  }
  // The record is allocated from the store's own arena (records_arena_).
  template <PayloadType R>
  DiskStatus append(std::string_view log, R record) {
    return write(Write::Kind::kAppend, log,
                 std::allocate_shared<const Payload>(std::pmr::polymorphic_allocator<Payload>(&records_arena_),
                                                     std::move(record)));
  }
  // The record under `key`, or null. Valid until the next write or crash.
  const Payload* get_record(std::string_view key) const;
  // REQUIRES nothing: an unknown log reads as empty. Valid until the next write or crash.
  RecordLog read_records(std::string_view log) const;
  // The same reads, failing (kIoError, *out untouched) while a disk fault fails reads.
  DiskStatus try_get_record(std::string_view key, const Payload** out) const;
  DiskStatus try_read_records(std::string_view log, RecordLog* out) const;

  // Removes `key` (a write like put: lost on a crash until synced). kIoError: not erased.
  DiskStatus erase(std::string_view key);
  // Makes every write so far durable: kOk (durable now), kIoError (nothing made durable)
  // or kInProgress (durable when the slow or hung disk finishes). Counted: a forced
  // write in protocol terms.
  DiskStatus sync();
  // A mark of the writes made so far, and whether all of them are durable yet. A mark
  // taken before a crash means nothing after it.
  uint64_t write_mark() const { return write_count_; }
  bool durable(uint64_t mark) const { return durable_through_ >= mark; }

  // The crash: the visible state falls back to the durable state plus the first
  // `keep_unsynced` pending writes (in write order); with `tear_next`, the write after
  // those, if it is a log append, survives torn. Returns how many writes were lost (a
  // torn one counts as lost). Syncs in flight are forgotten.
  size_t crash(size_t keep_unsynced = 0, bool tear_next = false);
  // True when the last crash left a torn record.
  bool last_crash_tore() const { return last_crash_tore_; }

  // For the simulator's disk faults.
  void set_controller(DiskController* controller) { controller_ = controller; }
  // The disk finished a sync begun with kInProgress: the writes up to `through` are durable.
  void finish_sync(uint64_t through);

  size_t unsynced_writes() const { return pending_.size(); }
  uint64_t sync_count() const { return sync_count_; }
  uint64_t write_count() const { return write_count_; }

 private:
  // A log is append-only and its appends become durable in write order, so what survives
  // a crash is always a prefix of what the process sees: the log is held once, with the
  // length of that prefix (a crash cuts it back to it). Saves a second copy of every
  // record, a lookup per sync, and their frees at the end of a run.
  struct Log {
    std::string name;
    std::vector<StoredRecord> records;  // what the process sees
    size_t durable = 0;                 // records[0, durable) survive a crash
    std::vector<size_t> torn;           // indices of torn records, ascending (all durable)
  };
  using KeyValues = std::map<std::string, StoredRecord, std::less<>>;
  struct Write {
    enum class Kind { kPut, kErase, kAppend } kind;
    uint32_t log = 0;    // kAppend: the log's index in logs_ (its record is the log's)
    std::string key{};   // kPut, kErase
    StoredRecord value;  // kPut
    uint64_t mark = 0;   // write_count_ once it is made
  };
  DiskStatus write(Write::Kind kind, std::string_view name, StoredRecord value);
  void make_durable(Write& w);  // moves w's value to the durable state
  void make_durable_through(uint64_t through);
  const Log* find_log(std::string_view name) const;
  uint32_t log_index(std::string_view name);  // made on first use

  // Where appended records live (with their shared_ptr's count): a log only grows, and
  // its records are kept to the end of the run, so taking them from one growing arena,
  // freed with the store, spares an allocation and a free per record (2PC appends about
  // five per transaction). What the arena keeps beyond the log: the records a crash drops
  // (the unsynced tail) and those a failing disk refuses (made before the write is
  // refused: a 2PC participant tries a refused append again every log_retry_interval, so
  // a disk_fail window leaves one per try), all freed with the store. Put's records are
  // not here: a key overwritten all run long would keep every value it ever had.
  // Declared first: the records, held by the members below, are destroyed before it.
  std::pmr::monotonic_buffer_resource records_arena_{4096};

  KeyValues kv_;          // what the running process sees
  KeyValues durable_kv_;  // what survives a crash
  std::vector<Log> logs_;  // few (a node's WALs), searched in order of first append
  std::vector<Write> pending_;  // in mark order
  DiskController* controller_ = nullptr;
  uint64_t sync_count_ = 0;
  uint64_t write_count_ = 0;
  uint64_t durable_through_ = 0;
  bool last_crash_tore_ = false;
};

}  // namespace dsim
