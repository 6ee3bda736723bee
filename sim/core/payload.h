// A value of a type the protocol declares (a message, a protocol event), carried by the
// core without JSON. The core moves, copies and hands it over by a small table of
// functions for its type (PayloadKind); receivers ask for their own type back with
// as<T>(), which is one pointer compare, never a string compare. JSON is made only at the
// edges: when a trace or Perfetto file is written, or when a tool asks for fields().
//
// What a payload type T must have (a plain struct is the intent):
//   static constexpr std::string_view kName = "prepare";  // its name in the trace (a
//                                                          // constant: checked)
//   void write_fields(Json& out) const;  // adds its fields to the object `out`, in the
//                                        // order the trace lists them
// and be copyable and movable. A T of up to kInlineBytes (56 bytes, alignment 8 at most)
// is held inline: sending or recording it allocates nothing. A larger T is held on the
// heap; heap_bytes() says how much, for the memory accounting of in-flight messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <concepts>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/field_writer.h"
#include "core/json.h"

namespace dsim {

// What a payload type must have (see the file comment).
// kName must be a constant: each type's PayloadKind (kKindOf below, constexpr) is made
// from it. The concept says so, so that a type whose name is made at run time is refused
// where it is first named as a payload, with this requirement as the reason.
template <typename T>
concept PayloadType = requires(const T& value, Json& out) {
  { T::kName } -> std::convertible_to<std::string_view>;
  typename std::integral_constant<size_t, std::string_view(T::kName).size()>;  // a constant
  value.write_fields(out);
} && std::is_copy_constructible_v<T> && std::is_move_constructible_v<T>;

// The functions the core calls on a payload of one type. One static instance per type.
// `value` is the address of the value itself; `storage` that of a Payload's storage.
struct PayloadKind {
  // Data, not functions: an event's name is read for every event a checker is shown, and
  // an indirect call there was a measurable part of a 2PC run (sim/bench, families).
  std::string_view name;  // T::kName
  // Adds the fields to the object `out`. Called only when has_fields.
  void (*write_fields)(const void* value, Json& out);
  // True when the trace shows a body: when the struct has members.
  bool has_fields;
  void (*copy_construct)(void* to_storage, const void* from_storage);
  void (*move_construct)(void* to_storage, void* from_storage) noexcept;
  void (*destroy)(void* storage) noexcept;
  uint32_t heap_bytes;  // bytes allocated per value: 0 when held inline
  bool inline_storage;
  // Writes the fields as the trace's text (core/field_writer.h); null when the type
  // writes only a Json object. Called only when has_fields.
  void (*write_text)(const void* value, FieldWriter& out);
};

namespace payload_detail {

inline constexpr size_t kInlineBytes = 56;

template <typename T>
constexpr bool fits_inline = sizeof(T) <= kInlineBytes && alignof(T) <= 8 &&
                             std::is_nothrow_move_constructible_v<T>;

template <PayloadType T>
constexpr auto text_writer() -> void (*)(const void*, FieldWriter&) {
  if constexpr (WritesFieldText<T>) {
    return [](const void* v, FieldWriter& out) { static_cast<const T*>(v)->write_fields(out); };
  } else {
    return nullptr;
  }
}

// The kind of a plain payload type T: a constant, built by the compiler (no guard to test
// on each use, as a function's static would need), one per type in the program.
template <PayloadType T>
inline constexpr PayloadKind kKindOf{
    T::kName,
    [](const void* v, Json& out) { static_cast<const T*>(v)->write_fields(out); },
    !std::is_empty_v<T>,
    [](void* to, const void* from) {
      if constexpr (fits_inline<T>) {
        new (to) T(*static_cast<const T*>(from));
      } else {
        *static_cast<T**>(to) = new T(**static_cast<T* const*>(from));
      }
    },
    [](void* to, void* from) noexcept {
      if constexpr (fits_inline<T>) {
        new (to) T(std::move(*static_cast<T*>(from)));
      } else {
        *static_cast<T**>(to) = *static_cast<T**>(from);
        *static_cast<T**>(from) = nullptr;
      }
    },
    [](void* v) noexcept {
      if constexpr (fits_inline<T>) {
        static_cast<T*>(v)->~T();
      } else {
        delete *static_cast<T**>(v);
      }
    },
    fits_inline<T> ? 0u : static_cast<uint32_t>(sizeof(T)),
    fits_inline<T>,
    text_writer<T>(),
};

template <PayloadType T>
constexpr const PayloadKind& kind_of() {
  return kKindOf<T>;
}

}  // namespace payload_detail

// A view of a payload owned elsewhere (an event being recorded, a message being
// delivered). Valid only during the call it is handed to.
class PayloadRef {
 public:
  PayloadRef() = default;
  PayloadRef(const PayloadKind* kind, const void* value) : kind_(kind), value_(value) {}
  template <PayloadType T>
  static PayloadRef to(const T& value) {
    return PayloadRef(&payload_detail::kind_of<T>(), &value);
  }

  bool empty() const { return kind_ == nullptr; }
  const PayloadKind* kind() const { return kind_; }
  std::string_view name() const { return kind_ == nullptr ? std::string_view() : kind_->name; }
  // The value if it is a T, else nullptr.
  template <PayloadType T>
  const T* as() const {
    return kind_ == &payload_detail::kind_of<T>() ? static_cast<const T*>(value_) : nullptr;
  }
  template <PayloadType T>
  bool is() const {
    return kind_ == &payload_detail::kind_of<T>();
  }
  bool has_fields() const { return kind_ != nullptr && kind_->has_fields; }
  // Adds the fields to the object `out` (nothing for a payload without fields).
  void write_fields(Json& out) const {
    if (has_fields()) kind_->write_fields(value_, out);
  }
  // True when the fields can be written as text directly (write_text).
  bool writes_text() const {
    return kind_ != nullptr && kind_->write_text != nullptr && kind_->has_fields;
  }
  // Writes the fields as text; only when writes_text().
  void write_text(FieldWriter& out) const { kind_->write_text(value_, out); }
  // The fields as a JSON object (built on each call: for traces and tools).
  Json fields() const {
    Json out = Json::object();
    write_fields(out);
    return out;
  }
  const void* value() const { return value_; }

 private:
  const PayloadKind* kind_ = nullptr;
  const void* value_ = nullptr;
};

// An owned payload of any kind, inline up to 56 bytes. Empty when default-constructed.
class Payload {
 public:
  Payload() = default;
  template <typename T>
    requires PayloadType<std::decay_t<T>>
  Payload(T&& value) {  // NOLINT: implicit on purpose (ctx.send(to, Prepare{...}))
    using V = std::decay_t<T>;
    kind_ = &payload_detail::kind_of<V>();
    if constexpr (payload_detail::fits_inline<V>) {
      new (storage_) V(std::forward<T>(value));
    } else {
      *reinterpret_cast<V**>(storage_) = new V(std::forward<T>(value));
    }
  }
  // A payload of `kind` built by `construct`, which is handed the payload's storage (the
  // value's address when the kind is held inline; where to put the heap pointer when not):
  // for copying a value seen only through a PayloadRef (a test's fake context keeps the
  // events it is shown).
  template <typename Construct>
  static Payload of_kind(const PayloadKind* kind, Construct&& construct) {
    Payload p;
    construct(static_cast<void*>(p.storage_));
    p.kind_ = kind;
    return p;
  }

  Payload(const Payload& other) : kind_(other.kind_) {
    if (kind_ != nullptr) kind_->copy_construct(storage_, other.storage_);
  }
  Payload(Payload&& other) noexcept : kind_(other.kind_) {
    if (kind_ != nullptr) kind_->move_construct(storage_, other.storage_);
  }
  Payload& operator=(const Payload& other) {
    if (this != &other) {
      Payload copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  Payload& operator=(Payload&& other) noexcept {
    if (this != &other) {
      reset();
      kind_ = other.kind_;
      if (kind_ != nullptr) kind_->move_construct(storage_, other.storage_);
    }
    return *this;
  }
  ~Payload() { reset(); }

  void reset() noexcept {
    if (kind_ != nullptr) kind_->destroy(storage_);
    kind_ = nullptr;
  }

  bool empty() const { return kind_ == nullptr; }
  const PayloadKind* kind() const { return kind_; }
  // The address of the value itself.
  const void* value() const {
    if (kind_ == nullptr) return nullptr;
    return kind_->inline_storage ? static_cast<const void*>(storage_)
                                 : *reinterpret_cast<void* const*>(storage_);
  }
  PayloadRef ref() const { return PayloadRef(kind_, value()); }
  std::string_view name() const { return ref().name(); }
  template <PayloadType T>
  const T* as() const {
    return ref().as<T>();
  }
  template <PayloadType T>
  bool is() const {
    return kind_ == &payload_detail::kind_of<T>();
  }
  bool has_fields() const { return ref().has_fields(); }
  Json fields() const { return ref().fields(); }
  uint32_t heap_bytes() const { return kind_ == nullptr ? 0 : kind_->heap_bytes; }

 private:
  const PayloadKind* kind_ = nullptr;
  alignas(8) unsigned char storage_[payload_detail::kInlineBytes];
};

}  // namespace dsim
