#include "protocols/ring/store/replica_data.h"

namespace dsim::ring {

void ReplicaData::recover(const DurableStore& disk) {
  for (size_t k = 0; k < items_.size(); ++k) {
    const Payload* record = disk.get_record((*disk_names_)[k]);
    if (record == nullptr) continue;
    if (const auto* r = record->as<ItemRecord>()) items_[k] = r->item;
  }
}

bool ReplicaData::offer(size_t key, Versioned v, DurableStore& disk) {
  if (items_[key] && items_[key]->version >= v.version) return false;
  items_[key] = v;
  disk.put((*disk_names_)[key], ItemRecord{std::move(v)});
  disk.sync();
  return true;
}

}  // namespace dsim::ring
