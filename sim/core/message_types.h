// Interned message types. Most messages carry no fields (a typed message whose struct is
// empty); an in-flight one then needs only a 4-byte type id, and its receiver is handed
// one shared prototype Message of that type instead of a copy — so a pending message
// costs a few bytes rather than a whole Message. Ids are dense and given in order of first
// use, so they are deterministic; the hash map is only ever looked up, never iterated.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/message.h"

namespace dsim {

class MessageTypes {
 public:
  // REQUIRES !m.has_fields().
  uint32_t intern(const Message& m) {
    const PayloadKind* kind = m.payload().kind();
    // Protocols tend to send runs of the same type: check the last one first.
    if (last_ < prototypes_.size() && prototypes_[last_]->payload().kind() == kind) return last_;
    auto [it, added] = ids_.try_emplace(kind, static_cast<uint32_t>(prototypes_.size()));
    if (added) prototypes_.push_back(std::make_unique<Message>(m));
    last_ = it->second;
    return last_;
  }
  // A message of that type without fields. Its address never changes.
  const Message& prototype(uint32_t id) const { return *prototypes_[id]; }

 private:
  std::unordered_map<const PayloadKind*, uint32_t> ids_;
  std::vector<std::unique_ptr<Message>> prototypes_;
  uint32_t last_ = UINT32_MAX;
};

}  // namespace dsim
