// Writes a payload's fields as JSON text straight into a trace line: `"key":value` pairs,
// comma-separated, with no Json tree built in between. The trace observer hands one to a
// payload type whose write_fields takes any object-like sink:
//
//   template <typename Out> void write_fields(Out& out) const { out["tx"] = tx; ... }
//
// so the same code writes a Json object (tests, tools, o.fields()) or the trace's text.
// The text is byte for byte what the Json object's dump() gives, provided each key is
// written once (a Json object would overwrite a repeated key; this writer cannot) — the
// trace-hash test pins every shipped scenario's bytes.
//
// Values: integers, bool, strings (std::string, string_view, const char*), nullptr, and
// anything else a Json can be built from (doubles, arrays, objects), which is built as a
// Json and serialized by nlohmann (the exact same text, at the old cost).
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/json.h"

namespace dsim {

// Appends `value` to `out` exactly as value.dump() writes it, without a temporary string.
void append_json(std::string& out, const Json& value);

class FieldWriter {
 public:
  // Appends to `out`, which the caller has opened with '{' (the writer adds no braces).
  explicit FieldWriter(std::string& out) : out_(out) {}

  class Slot {
   public:
    template <typename T>
      requires std::integral<T> && (!std::same_as<T, bool>) && (!std::same_as<T, char>)
    void operator=(T v) {
      if constexpr (std::is_signed_v<T>) {
        w_.append_int(static_cast<long long>(v));
      } else {
        w_.append_uint(static_cast<unsigned long long>(v));
      }
    }
    void operator=(bool v) { w_.out_ += v ? "true" : "false"; }
    void operator=(std::nullptr_t) { w_.out_ += "null"; }
    void operator=(std::string_view s) { w_.append_string(s); }
    void operator=(const std::string& s) { w_.append_string(s); }
    void operator=(const char* s) { w_.append_string(s); }
    void operator=(const Json& j) { append_json(w_.out_, j); }
    // Doubles, vectors, optionals, ...: through Json, which knows their exact text.
    template <typename T>
      requires(!std::integral<T> && !std::convertible_to<const T&, std::string_view> &&
               !std::same_as<T, Json> && !std::same_as<T, std::nullptr_t> &&
               std::constructible_from<Json, const T&>)
    void operator=(const T& v) {
      append_json(w_.out_, Json(v));
    }

   private:
    friend class FieldWriter;
    explicit Slot(FieldWriter& w) : w_(w) {}
    FieldWriter& w_;
  };

  // Writes the key (and the comma before it); the value follows by assignment.
  Slot operator[](std::string_view key) {
    if (written_) out_.push_back(',');
    written_ = true;
    append_string(key);
    out_.push_back(':');
    return Slot(*this);
  }

  // True once a field has been written.
  bool written() const { return written_; }

 private:
  void append_int(long long v);
  void append_uint(unsigned long long v);
  // As nlohmann writes a string (UTF-8 kept as is, control characters escaped).
  void append_string(std::string_view s);

  std::string& out_;
  bool written_ = false;
};

// True when T's write_fields can write the trace's text directly.
template <typename T>
concept WritesFieldText = requires(const T& value, FieldWriter& out) { value.write_fields(out); };

}  // namespace dsim
