// Writes a payload's fields as JSON text straight into a trace line (a TextBuffer,
// core/text_buffer.h): `"key":value` pairs, comma-separated, with no Json tree built in
// between. The trace observer hands one to a payload type whose write_fields takes any
// object-like sink:
//
//   template <typename Out> void write_fields(Out& out) const { out["tx"] = tx; ... }
//
// so the same code writes a Json object (tests, tools, o.fields()) or the trace's text.
// The text is byte for byte what the Json object's dump() gives, provided each key is
// written once (a Json object would overwrite a repeated key; this writer cannot) — the
// trace-hash test pins every shipped scenario's bytes.
//
// Values: integers, bool, strings (std::string, string_view, const char*), nullptr, a
// nested object or array built in place (object_of, array_of below), a value that writes
// its own string's text (WritesStringText below: an id made of a name and numbers), and
// anything else a Json can be built from (doubles, vectors, a Json), which is written from
// a Json (the same text, at the cost of building it).
//
// Nested values, for a write_fields that writes either sink: the callable gets the nested
// object (a Json object or a FieldWriter) or array (a Json array or an ArrayWriter):
//
//   out["ops"] = object_of([&](auto& o) { for (...) o[name] = value; });
//   out["nodes"] = array_of([&](auto& a) { for (NodeId n : nodes) a.push_back(name(n)); });
//
// The callable runs during the assignment, so it may capture by reference.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/json.h"
#include "core/json_write.h"
#include "core/text_buffer.h"

namespace dsim {

// A JSON object written by `write(object)` when assigned (see the file comment).
template <typename F>
struct ObjectOf {
  F write;
};
// A JSON array written by `write(array)` when assigned.
template <typename F>
struct ArrayOf {
  F write;
};
template <typename F>
ObjectOf<std::decay_t<F>> object_of(F&& write) {
  return {std::forward<F>(write)};
}
template <typename F>
ArrayOf<std::decay_t<F>> array_of(F&& write) {
  return {std::forward<F>(write)};
}
// The Json side (found by nlohmann through argument-dependent lookup).
template <typename F>
void to_json(Json& j, const ObjectOf<F>& value) {
  j = Json::object();
  value.write(j);
}
template <typename F>
void to_json(Json& j, const ArrayOf<F>& value) {
  j = Json::array();
  value.write(j);
}

template <typename T>
inline constexpr bool is_nested_writer_v = false;
template <typename F>
inline constexpr bool is_nested_writer_v<ObjectOf<F>> = true;
template <typename F>
inline constexpr bool is_nested_writer_v<ArrayOf<F>> = true;

// A value that writes its own string's text (an id made of a name and numbers), so that no
// std::string is built for it: append_text(out) appends the text as it is (the writer adds
// the quotes and any escapes), and to_json gives the Json sink the same string.
template <typename T>
concept WritesStringText = requires(const T& value, TextBuffer& out) { value.append_text(out); };

// Writes one JSON value at the end of a text buffer, by assignment.
class ValueWriter {
 public:
  explicit ValueWriter(TextBuffer& out) : out_(out) {}

  template <typename T>
    requires std::integral<T> && (!std::same_as<T, bool>) && (!std::same_as<T, char>)
  void operator=(T v) {
    if constexpr (std::is_signed_v<T>) {
      append_json_int(out_, static_cast<int64_t>(v));
    } else {
      append_json_uint(out_, static_cast<uint64_t>(v));
    }
  }
  void operator=(bool v) { out_ += v ? std::string_view("true") : std::string_view("false"); }
  void operator=(std::nullptr_t) { out_ += std::string_view("null"); }
  void operator=(std::string_view s) { append_json_string(out_, s); }
  void operator=(const std::string& s) { append_json_string(out_, s); }
  void operator=(const char* s) { append_json_string(out_, s); }
  void operator=(const Json& j) { append_json(out_, j); }
  template <typename F>
  void operator=(const ObjectOf<F>& object);
  template <typename F>
  void operator=(const ArrayOf<F>& array);
  template <WritesStringText T>
  void operator=(const T& v) {
    const size_t at = out_.size();
    out_.push_back('"');
    v.append_text(out_);
    const std::string_view text = out_.view(at + 1);
    if (plain_ascii_prefix(text) == text.size()) {
      out_.push_back('"');
      return;
    }
    const std::string raw(text);  // rare: written again, with its escapes
    out_.truncate(at);
    append_json_string(out_, raw);
  }
  // Doubles, vectors, optionals, ...: through Json, which knows their exact text.
  template <typename T>
    requires(!std::integral<T> && !std::convertible_to<const T&, std::string_view> &&
             !std::same_as<T, Json> && !std::same_as<T, std::nullptr_t> &&
             !is_nested_writer_v<T> && !WritesStringText<T> &&
             std::constructible_from<Json, const T&>)
  void operator=(const T& v) {
    append_json(out_, Json(v));
  }

 private:
  TextBuffer& out_;
};

class FieldWriter {
 public:
  // Appends to `out`, which the caller has opened with '{' (the writer adds no braces).
  explicit FieldWriter(TextBuffer& out) : out_(out) {}

  using Slot = ValueWriter;

  // Writes the key (and the comma before it); the value follows by assignment.
  ValueWriter operator[](std::string_view key) {
    append_json_key(out_, key, written_);
    written_ = true;
    return ValueWriter(out_);
  }
  // A key written as a string literal (most are): see append_json_key's literal overload.
  template <size_t N>
  [[gnu::always_inline]] ValueWriter operator[](const char (&key)[N]) {
    append_json_key(out_, key, written_);
    written_ = true;
    return ValueWriter(out_);
  }

  // True once a field has been written.
  bool written() const { return written_; }

 private:
  TextBuffer& out_;
  bool written_ = false;
};

// The elements of a JSON array, comma-separated, appended by push_back (any value
// ValueWriter takes). The caller writes the brackets.
class ArrayWriter {
 public:
  explicit ArrayWriter(TextBuffer& out) : out_(out) {}
  template <typename T>
  void push_back(T&& value) {
    if (written_) out_.push_back(',');
    written_ = true;
    ValueWriter element(out_);
    element = std::forward<T>(value);
  }
  bool written() const { return written_; }

 private:
  TextBuffer& out_;
  bool written_ = false;
};

template <typename F>
void ValueWriter::operator=(const ObjectOf<F>& object) {
  out_.push_back('{');
  FieldWriter fields(out_);
  object.write(fields);
  out_.push_back('}');
}

template <typename F>
void ValueWriter::operator=(const ArrayOf<F>& array) {
  out_.push_back('[');
  ArrayWriter elements(out_);
  array.write(elements);
  out_.push_back(']');
}

// True when T's write_fields can write the trace's text directly.
template <typename T>
concept WritesFieldText = requires(const T& value, FieldWriter& out) { value.write_fields(out); };

}  // namespace dsim
