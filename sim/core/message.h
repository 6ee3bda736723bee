// What travels between nodes: a payload of a type the protocol declares (payload.h), or,
// in code written before the typed API, a type name plus a JSON body.
//
// Typed (the way to write a protocol):
//   struct Prepare { static constexpr std::string_view kName = "prepare";
//                    TxId tx; int64_t epoch;
//                    void write_fields(Json& out) const { out["tx"] = tx; ... } };
//   ctx.send(to, Prepare{tx, epoch});
//   if (const auto* p = message.as<Prepare>()) ...   // a pointer compare, no strings
// The trace shows a message as {"msg": kName, "body": {fields}}; the fields are written
// only while a trace is being written.
//
// JSON (older code): Message("prepare", body); message.type(), message.body().
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/payload.h"

namespace dsim {

// The payload of a JSON message: a name and a body (null when the name says it all).
struct JsonPayload {
  std::string type;
  Json body;
  static const PayloadKind& kind();
};

inline const PayloadKind& JsonPayload::kind() {
  static const PayloadKind k{
      [](const void* v) -> std::string_view { return static_cast<const JsonPayload*>(v)->type; },
      [](const void* v, Json& out) { out = static_cast<const JsonPayload*>(v)->body; },
      [](const void* v) { return !static_cast<const JsonPayload*>(v)->body.is_null(); },
      [](void* to, const void* from) { new (to) JsonPayload(*static_cast<const JsonPayload*>(from)); },
      [](void* to, void* from) noexcept {
        new (to) JsonPayload(std::move(*static_cast<JsonPayload*>(from)));
      },
      [](void* v) noexcept { static_cast<JsonPayload*>(v)->~JsonPayload(); },
      0u,
      true,
      nullptr,  // JSON: written through Json
  };
  return k;
}
static_assert(sizeof(JsonPayload) <= payload_detail::kInlineBytes);

class Message {
 public:
  Message() = default;
  // A typed message (see the file comment).
  template <typename T>
    requires PayloadType<std::decay_t<T>>
  Message(T&& value) : payload_(std::forward<T>(value)) {}  // NOLINT: implicit on purpose
  // A JSON message.
  explicit Message(std::string type, Json body = nullptr)
      : payload_(Payload::of_kind(&JsonPayload::kind(), [&](void* at) {
          new (at) JsonPayload{std::move(type), std::move(body)};
        })) {}

  // The name the trace shows ("prepare"): kName for a typed message.
  std::string_view type() const { return payload_.name(); }
  template <PayloadType T>
  const T* as() const {
    return payload_.as<T>();
  }
  template <PayloadType T>
  bool is() const {
    return payload_.is<T>();
  }
  // True for a JSON message (older code).
  bool is_json() const { return payload_.kind() == &JsonPayload::kind(); }
  // A JSON message's body. REQUIRES is_json(); a typed message has no stored JSON (a null
  // is returned) — use as<T>() or fields().
  const Json& body() const {
    static const Json kNull;
    return is_json() ? static_cast<const JsonPayload*>(payload_.value())->body : kNull;
  }
  // A JSON message's body, to change before sending. Throws std::logic_error on a typed
  // message.
  Json& body() {
    if (!is_json()) throw std::logic_error("Message::body(): a typed message has no JSON body");
    return static_cast<JsonPayload*>(const_cast<void*>(payload_.value()))->body;
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
