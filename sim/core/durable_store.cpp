#include "core/durable_store.h"

namespace dsim {

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

void DurableStore::write(Write::Kind kind, const std::string& name, Json value) {
  Write w{kind, name, kind == Write::Kind::kErase ? nullptr : std::make_shared<const Json>(std::move(value))};
  apply(visible_, w);
  pending_.push_back(std::move(w));
  ++write_count_;
}

void DurableStore::put(const std::string& key, Json value) { write(Write::Kind::kPut, key, std::move(value)); }

void DurableStore::erase(const std::string& key) { write(Write::Kind::kErase, key, nullptr); }

std::optional<Json> DurableStore::get(const std::string& key) const {
  auto it = visible_.kv.find(key);
  if (it == visible_.kv.end()) return std::nullopt;
  return *it->second;
}

void DurableStore::append(const std::string& log, Json record) {
  write(Write::Kind::kAppend, log, std::move(record));
}

LogView DurableStore::read_log(const std::string& log) const {
  static const std::vector<StoredRecord> kEmpty;
  auto it = visible_.logs.find(log);
  return LogView(it == visible_.logs.end() ? kEmpty : it->second);
}

void DurableStore::sync() {
  for (const Write& w : pending_) apply(durable_, w);
  pending_.clear();
  ++sync_count_;
}

size_t DurableStore::crash(size_t keep_unsynced) {
  size_t kept = std::min(keep_unsynced, pending_.size());
  for (size_t i = 0; i < kept; ++i) apply(durable_, pending_[i]);
  size_t lost = pending_.size() - kept;
  pending_.clear();
  visible_ = durable_;
  return lost;
}

}  // namespace dsim
