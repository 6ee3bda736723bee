#include "protocols/ring/store/replica_data.h"

#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

void ReplicaData::recover(const DurableStore& disk) {
  for (size_t k = 0; k < items_.size(); ++k) {
    const Payload* record = disk.get_record(key_name(k));
    if (record == nullptr) continue;
    if (const auto* r = record->as<ItemRecord>()) items_[k] = r->item;
  }
}

bool ReplicaData::offer(size_t key, const Versioned& v, DurableStore& disk) {
  if (items_[key] && items_[key]->version >= v.version) return false;
  items_[key] = v;
  disk.put(key_name(key), ItemRecord{v});
  disk.sync();
  return true;
}

}  // namespace dsim::ring
