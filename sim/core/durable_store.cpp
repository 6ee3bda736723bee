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

void DurableStore::apply(State& s, const Write& w) {
  switch (w.kind) {
    case Write::Kind::kPut:
      s.kv[w.name] = w.value;
      break;
    case Write::Kind::kErase:
      s.kv.erase(w.name);
      break;
    case Write::Kind::kAppend:
      s.logs[w.name].push_back(w.value);
      break;
  }
}

DiskStatus DurableStore::write(Write::Kind kind, const std::string& name, StoredRecord value) {
  if (controller_ != nullptr && controller_->write_fails()) return DiskStatus::kIoError;
  Write w{kind, name, std::move(value), ++write_count_};
  apply(visible_, w);
  pending_.push_back(std::move(w));
  return DiskStatus::kOk;
}

DiskStatus DurableStore::erase(const std::string& key) {
  return write(Write::Kind::kErase, key, nullptr);
}

const Payload* DurableStore::get_record(const std::string& key) const {
  auto it = visible_.kv.find(key);
  return it == visible_.kv.end() ? nullptr : it->second.get();
}

DiskStatus DurableStore::try_get_record(const std::string& key, const Payload** out) const {
  if (controller_ != nullptr && controller_->read_fails()) return DiskStatus::kIoError;
  *out = get_record(key);
  return DiskStatus::kOk;
}

DiskStatus DurableStore::try_read_records(const std::string& log, RecordLog* out) const {
  if (controller_ != nullptr && controller_->read_fails()) return DiskStatus::kIoError;
  *out = read_records(log);
  return DiskStatus::kOk;
}

const std::vector<StoredRecord>& DurableStore::log_records(const std::string& log) const {
  static const std::vector<StoredRecord> kEmpty;
  auto it = visible_.logs.find(log);
  return it == visible_.logs.end() ? kEmpty : it->second;
}

RecordLog DurableStore::read_records(const std::string& log) const {
  auto torn = visible_.torn.find(log);
  return RecordLog(log_records(log), torn == visible_.torn.end() ? nullptr : &torn->second);
}

void DurableStore::make_durable_through(uint64_t through) {
  size_t done = 0;
  while (done < pending_.size() && pending_[done].mark <= through) apply(durable_, pending_[done++]);
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
  for (size_t i = 0; i < kept; ++i) apply(durable_, pending_[i]);
  size_t lost = pending_.size() - kept;
  last_crash_tore_ = tear_next && kept < pending_.size() &&
                     pending_[kept].kind == Write::Kind::kAppend;
  if (last_crash_tore_) {
    const Write& w = pending_[kept];
    std::vector<StoredRecord>& log = durable_.logs[w.name];
    durable_.torn[w.name].push_back(log.size());
    log.push_back(w.value);
  }
  pending_.clear();
  durable_through_ = write_count_;
  visible_ = durable_;
  return lost;
}

}  // namespace dsim
