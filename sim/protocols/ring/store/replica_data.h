// A store node's copies of keys: value plus version, newest version wins. Every accepted
// write is synced to the node's disk before it is acknowledged, so a restart finds it.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/durable_store.h"
#include "core/ids.h"
#include "core/json.h"

namespace dsim::ring {

// Totally ordered: a higher counter wins, ties broken by the coordinator's node id.
struct Version {
  int64_t counter = 0;
  NodeId node = 0;
  auto operator<=>(const Version&) const = default;
};

struct Versioned {
  std::string value;
  Version version;
};

// A key's copy on disk (a typed record, core/durable_store.h), under the key's name
// ("key-N").
struct ItemRecord {
  static constexpr std::string_view kName = "item";
  Versioned item;
  void write_fields(Json& out) const {
    out["value"] = item.value;
    out["vc"] = item.version.counter;
    out["vn"] = item.version.node;
  }
};

class ReplicaData {
 public:
  // `disk_names`: each key's name on disk, by key (outlives this).
  explicit ReplicaData(const std::vector<std::string>& disk_names)
      : disk_names_(&disk_names), items_(disk_names.size()) {}

  // Reads back what was synced before a restart.
  void recover(const DurableStore& disk);
  const std::optional<Versioned>& get(size_t key) const { return items_[key]; }
  // Keeps `v` if it is newer than the copy held (then syncs). True when it was kept.
  bool offer(size_t key, Versioned v, DurableStore& disk);
  size_t size() const { return items_.size(); }

 private:
  const std::vector<std::string>* disk_names_;
  std::vector<std::optional<Versioned>> items_;
};

}  // namespace dsim::ring
