#include "core/durable_store.h"

#include <stdexcept>

namespace dsim {

const PayloadKind& JsonRecord::kind() {
  static const PayloadKind k{
      [](const void*) -> std::string_view { return "json"; },
      [](const void* v, Json& out) { out = static_cast<const JsonRecord*>(v)->value; },
      [](const void* v) { return !static_cast<const JsonRecord*>(v)->value.is_null(); },
      [](void* to, const void* from) { new (to) JsonRecord(*static_cast<const JsonRecord*>(from)); },
      [](void* to, void* from) noexcept {
        new (to) JsonRecord(std::move(*static_cast<JsonRecord*>(from)));
      },
      [](void* v) noexcept { static_cast<JsonRecord*>(v)->~JsonRecord(); },
      0u,
      true,
  };
  return k;
}

const Json& json_of(const Payload& record) {
  if (record.kind() != &JsonRecord::kind()) {
    throw std::logic_error("DurableStore: a typed record (" + std::string(record.name()) +
                           ") was read as JSON; read it with read_records/get_record");
  }
  return static_cast<const JsonRecord*>(record.value())->value;
}

StoredRecord DurableStore::json_record(Json value) {
  return std::make_shared<const Payload>(Payload::of_kind(
      &JsonRecord::kind(), [&](void* at) { new (at) JsonRecord{std::move(value)}; }));
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

void DurableStore::write(Write::Kind kind, const std::string& name, StoredRecord value) {
  Write w{kind, name, std::move(value)};
  apply(visible_, w);
  pending_.push_back(std::move(w));
  ++write_count_;
}

void DurableStore::put(const std::string& key, Json value) {
  write(Write::Kind::kPut, key, json_record(std::move(value)));
}

void DurableStore::erase(const std::string& key) { write(Write::Kind::kErase, key, nullptr); }

std::optional<Json> DurableStore::get(const std::string& key) const {
  const Payload* record = get_record(key);
  if (record == nullptr) return std::nullopt;
  return json_of(*record);
}

const Payload* DurableStore::get_record(const std::string& key) const {
  auto it = visible_.kv.find(key);
  return it == visible_.kv.end() ? nullptr : it->second.get();
}

void DurableStore::append(const std::string& log, Json record) {
  write(Write::Kind::kAppend, log, json_record(std::move(record)));
}

const std::vector<StoredRecord>& DurableStore::log_records(const std::string& log) const {
  static const std::vector<StoredRecord> kEmpty;
  auto it = visible_.logs.find(log);
  return it == visible_.logs.end() ? kEmpty : it->second;
}

LogView DurableStore::read_log(const std::string& log) const { return LogView(log_records(log)); }

RecordLog DurableStore::read_records(const std::string& log) const {
  return RecordLog(log_records(log));
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
