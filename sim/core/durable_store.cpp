#include "core/durable_store.h"

#include <algorithm>

namespace dsim {

const char* to_string(DiskStatus s) {
  switch (s) {
    case DiskStatus::kOk: return "ok";
    case DiskStatus::kIoError: return "io_error";
    case DiskStatus::kInProgress: return "in_progress";
  }
  return "?";
}

const std::vector<StoredRecord>& RecordLog::empty_records() {
  static const std::vector<StoredRecord> kEmpty;
  return kEmpty;
}

bool RecordLog::torn(size_t i) const {
  return torn_ != nullptr && std::binary_search(torn_->begin(), torn_->end(), i);
}

const DurableStore::Log* DurableStore::find_log(std::string_view name) const {
  for (const Log& l : logs_) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

uint32_t DurableStore::log_index(std::string_view name) {
  for (size_t i = 0; i < logs_.size(); ++i) {
    if (logs_[i].name == name) return static_cast<uint32_t>(i);
  }
  logs_.push_back(Log{std::string(name), {}, 0, {}});
  return static_cast<uint32_t>(logs_.size() - 1);
}

DiskStatus DurableStore::write(Write::Kind kind, std::string_view name, StoredRecord value) {
  if (controller_ != nullptr && controller_->write_fails()) return DiskStatus::kIoError;
  const uint64_t mark = ++write_count_;
  switch (kind) {
    case Write::Kind::kAppend: {
      const uint32_t log = log_index(name);
      logs_[log].records.push_back(std::move(value));
      pending_.push_back(Write{kind, log, {}, nullptr, mark});
      break;
    }
    case Write::Kind::kPut: {
      auto it = kv_.find(name);
      if (it == kv_.end()) {
        kv_.emplace(std::string(name), value);
      } else {
        it->second = value;
      }
      pending_.push_back(Write{kind, 0, std::string(name), std::move(value), mark});
      break;
    }
    case Write::Kind::kErase: {
      auto it = kv_.find(name);
      if (it != kv_.end()) kv_.erase(it);
      pending_.push_back(Write{kind, 0, std::string(name), nullptr, mark});
      break;
    }
  }
  return DiskStatus::kOk;
}

DiskStatus DurableStore::erase(std::string_view key) {
  return write(Write::Kind::kErase, key, nullptr);
}

const Payload* DurableStore::get_record(std::string_view key) const {
  auto it = kv_.find(key);
  return it == kv_.end() ? nullptr : it->second.get();
}

DiskStatus DurableStore::try_get_record(std::string_view key, const Payload** out) const {
  if (controller_ != nullptr && controller_->read_fails()) return DiskStatus::kIoError;
  *out = get_record(key);
  return DiskStatus::kOk;
}

DiskStatus DurableStore::try_read_records(std::string_view log, RecordLog* out) const {
  if (controller_ != nullptr && controller_->read_fails()) return DiskStatus::kIoError;
  *out = read_records(log);
  return DiskStatus::kOk;
}

RecordLog DurableStore::read_records(std::string_view log) const {
  const Log* l = find_log(log);
  if (l == nullptr) return RecordLog();
  return RecordLog(l->records, l->torn.empty() ? nullptr : &l->torn);
}

void DurableStore::make_durable(Write& w) {
  switch (w.kind) {
    case Write::Kind::kPut: {
      auto it = durable_kv_.find(w.key);
      if (it == durable_kv_.end()) {
        durable_kv_.emplace(std::move(w.key), std::move(w.value));
      } else {
        it->second = std::move(w.value);
      }
      break;
    }
    case Write::Kind::kErase: {
      auto it = durable_kv_.find(w.key);
      if (it != durable_kv_.end()) durable_kv_.erase(it);
      break;
    }
    case Write::Kind::kAppend:
      ++logs_[w.log].durable;
      break;
  }
}

void DurableStore::make_durable_through(uint64_t through) {
  size_t done = 0;
  while (done < pending_.size() && pending_[done].mark <= through) make_durable(pending_[done++]);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
  durable_through_ = std::max(durable_through_, through);
}

DiskStatus DurableStore::sync() {
  ++sync_count_;
  DiskStatus s = controller_ == nullptr ? DiskStatus::kOk : controller_->begin_sync(write_count_);
  if (s == DiskStatus::kOk) make_durable_through(write_count_);
  return s;
}

void DurableStore::finish_sync(uint64_t through) { make_durable_through(through); }

size_t DurableStore::crash(size_t keep_unsynced, bool tear_next) {
  size_t kept = std::min(keep_unsynced, pending_.size());
  for (size_t i = 0; i < kept; ++i) make_durable(pending_[i]);
  size_t lost = pending_.size() - kept;
  last_crash_tore_ = tear_next && kept < pending_.size() &&
                     pending_[kept].kind == Write::Kind::kAppend;
  if (last_crash_tore_) {
    // The first lost write is the log's next record after its durable ones: it stays,
    // half written.
    Log& log = logs_[pending_[kept].log];
    log.torn.push_back(log.durable);
    ++log.durable;
  }
  pending_.clear();
  durable_through_ = write_count_;
  for (Log& log : logs_) log.records.resize(log.durable);
  kv_ = durable_kv_;
  return lost;
}

}  // namespace dsim
