// Interned message types. Most messages carry no fields (a JSON message with a null
// body, or a typed message whose struct is empty); an in-flight one then needs only a
// 4-byte type id, and its receiver is handed one shared prototype Message of that type
// instead of a copy — so a pending message costs a few bytes rather than a whole Message.
// Ids are dense and given in order of first use, so they are deterministic; the hash maps
// are only ever looked up, never iterated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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
    if (last_ < prototypes_.size()) {
      const Message& last = *prototypes_[last_];
      if (last.payload().kind() == kind && (!m.is_json() || last.type() == m.type())) return last_;
    }
    uint32_t next = static_cast<uint32_t>(prototypes_.size());
    bool fresh;
    if (m.is_json()) {
      auto [it, added] = json_ids_.try_emplace(std::string(m.type()), next);
      fresh = added;
      last_ = it->second;
    } else {
      auto [it, added] = typed_ids_.try_emplace(kind, next);
      fresh = added;
      last_ = it->second;
    }
    if (fresh) prototypes_.push_back(std::make_unique<Message>(m));
    return last_;
  }
  // A message of that type without fields. Its address never changes.
  const Message& prototype(uint32_t id) const { return *prototypes_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> json_ids_;
  std::unordered_map<const PayloadKind*, uint32_t> typed_ids_;
  std::vector<std::unique_ptr<Message>> prototypes_;
  uint32_t last_ = UINT32_MAX;
};

}  // namespace dsim
