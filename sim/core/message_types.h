// Interned message types. Most messages are a type name with a null body; an in-flight
// one then needs only a 4-byte type id, and its receiver is handed one shared prototype
// Message of that type instead of a copy — so a pending message costs a few bytes rather
// than a whole Message (48 bytes). Ids are dense and given in order of first use, so they
// are deterministic; the hash map is only ever looked up, never iterated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/message.h"

namespace dsim {

class MessageTypes {
 public:
  uint32_t intern(const std::string& type) {
    // Protocols tend to send runs of the same type: check the last one first.
    if (last_ < prototypes_.size() && prototypes_[last_]->type == type) return last_;
    auto [it, fresh] = ids_.try_emplace(type, static_cast<uint32_t>(prototypes_.size()));
    if (fresh) prototypes_.push_back(std::make_unique<Message>(type));
    last_ = it->second;
    return last_;
  }
  // A message of that type with a null body. Its address never changes.
  const Message& prototype(uint32_t id) const { return *prototypes_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::unique_ptr<Message>> prototypes_;
  uint32_t last_ = UINT32_MAX;
};

}  // namespace dsim
