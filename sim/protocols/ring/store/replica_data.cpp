#include "protocols/ring/store/replica_data.h"

#include "core/json_object.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

Json ReplicaData::to_json(const Versioned& v) {
  return json_object("value", v.value, "vc", v.version.counter, "vn", v.version.node);
}

Versioned ReplicaData::from_json(const Json& j) {
  return Versioned{j.at("value").get<std::string>(), Version{j.at("vc").get<int64_t>(), j.at("vn").get<NodeId>()}};
}

void ReplicaData::recover(const DurableStore& disk) {
  for (size_t k = 0; k < items_.size(); ++k) {
    if (auto j = disk.get(key_name(k))) items_[k] = from_json(*j);
  }
}

bool ReplicaData::offer(size_t key, const Versioned& v, DurableStore& disk) {
  if (items_[key] && items_[key]->version >= v.version) return false;
  items_[key] = v;
  disk.put(key_name(key), to_json(v));
  disk.sync();
  return true;
}

}  // namespace dsim::ring
