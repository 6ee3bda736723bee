// What travels between nodes: a payload of a type the protocol declares (payload.h).
//
//   struct Prepare { static constexpr std::string_view kName = "prepare";
//                    TxId tx; int64_t epoch;
//                    void write_fields(Json& out) const { out["tx"] = tx; ... } };
//   ctx.send(to, Prepare{tx, epoch});
//   if (const auto* p = message.as<Prepare>()) ...   // a pointer compare, no strings
// The trace shows a message as {"msg": kName, "body": {fields}}; the fields are written
// only while a trace is being written.
#pragma once

#include <string_view>

#include "core/json.h"
#include "core/payload.h"

namespace dsim {

class Message {
 public:
  Message() = default;
  // Implicit, so that ctx.send(to, Prepare{...}) reads as it should.
  template <typename T>
    requires PayloadType<std::decay_t<T>>
  Message(T&& value) : payload_(std::forward<T>(value)) {}  // NOLINT: implicit on purpose
  // The name the trace shows ("prepare"): the type's kName.
  std::string_view type() const { return payload_.name(); }
  template <PayloadType T>
  const T* as() const {
    return payload_.as<T>();
  }
  template <PayloadType T>
  bool is() const {
    return payload_.is<T>();
  }
  // True when the trace shows a body.
  bool has_fields() const { return payload_.has_fields(); }
  // The body as the trace shows it (built on each call: for traces and tools only).
  Json fields() const { return payload_.fields(); }
  const Payload& payload() const { return payload_; }
  PayloadRef ref() const { return payload_.ref(); }

 private:
  Payload payload_;
};

}  // namespace dsim
