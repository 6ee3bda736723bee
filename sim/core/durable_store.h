// A node's disk. Writes land in a volatile buffer (the page cache) that the node itself
// reads back at once; only sync() makes them durable. A crash throws the buffer away —
// optionally keeping a prefix of it, as an OS that flushed some pages on its own would —
// so "forgot to fsync" bugs show up exactly as they do on real machines.
//
// Two shapes of data: a key-value map (current state) and named append-only logs (WALs).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim {

class DurableStore {
 public:
  void put(const std::string& key, Json value);
  void erase(const std::string& key);
  std::optional<Json> get(const std::string& key) const;
  void append(const std::string& log, Json record);
  // REQUIRES nothing: an unknown log reads as empty.
  const std::vector<Json>& read_log(const std::string& log) const;
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
    std::map<std::string, Json> kv;
    std::map<std::string, std::vector<Json>> logs;
  };
  struct Write {
    enum class Kind { kPut, kErase, kAppend } kind;
    std::string name;
    Json value;
  };
  static void apply(State& s, const Write& w);

  State visible_;  // what the running process sees
  State durable_;  // what survives a crash
  std::vector<Write> pending_;
  uint64_t sync_count_ = 0;
  uint64_t write_count_ = 0;
};

}  // namespace dsim
